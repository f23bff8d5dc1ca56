package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.config.Switches;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While tracing is switched off, Weft starts nothing: no collector thread, no queue, no collector
 * connection. Run in a fresh JVM, since the tests of this module share one runtime.
 */
class RestingStateTest {

  /** Entry point of the child JVM: prints what it observes, one fact per line. */
  public static void main(String[] args) throws Exception {
    Weft.init();
    boolean enabled = Switches.enabled;
    try (TraceScope t = Trace.begin("resting", null, null)) {
      Trace.span("ignored").close();
    }
    System.out.println("enabled=" + enabled);
    System.out.println("pipeline=" + (WeftRuntime.pipelineIfStarted() != null));
    System.out.println("collectorThread=" + collectorThreadAlive());
    Weft.set("weft.enabled", "true");
    System.out.println("pipelineAfterSwitchOn=" + (WeftRuntime.pipelineIfStarted() != null));
    System.out.println("collectorThreadAfterSwitchOn=" + collectorThreadAlive());
  }

  private static boolean collectorThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("weft-collector") && t.isAlive());
  }

  @Test
  void switchedOffStartsNothing_switchingOnStartsThePipeline() throws Exception {
    List<String> out =
        dev.weft.ChildJvm.run(
            RestingStateTest.class, "-Dweft.enabled=false", "-Dweft.connection_string=memory://");
    assertThat(out)
        .containsExactly(
            "enabled=false",
            "pipeline=false",
            "collectorThread=false",
            "pipelineAfterSwitchOn=true",
            "collectorThreadAfterSwitchOn=true");
  }
}
