package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * In a JVM where no integration is woven (no agent, no driver), a category that is switched on is
 * named as not woven by {@code describe()}, and one that is off by default and was switched on gets
 * one warning, at the first trace. Run in a fresh JVM: the warning is given once per JVM.
 */
class NotWovenTest {
  /** Entry point of the child JVM: prints describe() and every Weft warning, one per line. */
  public static void main(String[] args) {
    Logger.getLogger("dev.weft")
        .addHandler(
            new Handler() {
              @Override
              public void publish(LogRecord r) {
                System.out.println("warning: " + r.getMessage());
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    Logger.getLogger("dev.weft").setUseParentHandlers(false);
    System.out.println(Weft.describe());
    for (int i = 0; i < 3; i++) {
      String base = "base-not-woven-" + i;
      Map<String, String> h = TraceHeaders.sign(base, base, "k");
      try (TraceScope t =
          Trace.beginFromHeaders(
              h.get(TraceHeaders.X_TRACE_INFO), h.get(TraceHeaders.X_TRACE_HMAC), null)) {
        System.out.println("traced=" + (t != null));
      }
    }
    Weft.set("weft.trace.sql", "true");
    System.out.println("done");
  }

  @Test
  void describeAndOneWarningNameTheCategoriesWithNothingWoven() throws Exception {
    List<String> out =
        ChildJvm.run(
            NotWovenTest.class,
            "-Dweft.enabled=true",
            "-Dweft.hmac_keys=k",
            "-Dweft.trace.redis=true",
            "-Dweft.connection_string=memory://",
            "-Dweft.host=h",
            "-Dweft.service=s");
    String warning =
        "warning: weft: category '%s' is switched on, but none of its join points is woven in"
            + " this JVM: start it with -javaagent:weft-agent.jar (or weave its driver's classes at"
            + " build time, docs/weaving.md), and check that its driver is on the class path; its"
            + " spans are missing until then";
    assertThat(out)
        .containsExactly(
            "weft: enabled=true categories=annotated,servlet,http,redis,pooling,async"
                + " not_woven=servlet,redis,pooling collector=memory:// hmac_keys=1"
                + " config=defaults",
            warning.formatted("redis"),
            "traced=true",
            "traced=true",
            "traced=true",
            warning.formatted("sql"),
            "done");
  }
}
