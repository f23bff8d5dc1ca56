package dev.weft.testapp.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak: {@code java -jar target/weft-test-app.jar soak --seconds 15}, on the packaged
 * jar, in its own JVM (Weft reads the queue capacity once, at start-up). The command checks itself
 * and exits non-zero when a check fails; this test also reads the figures it prints.
 */
class SoakIT {
  @TempDir Path work;

  @Test
  void fifteenSecondsOfFaultsUnderLoad_leaveEveryAnswerAndCounterAsExpected() throws Exception {
    Path target = Path.of(System.getProperty("weft.target", "target")).toAbsolutePath();
    Path output = work.resolve("soak.out");
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m",
                "-jar",
                target.resolve("weft-test-app.jar").toString(),
                "soak",
                "--seconds",
                "15",
                "--rate",
                "40")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(output);
    out.lines()
        .filter(
            l ->
                l.startsWith("soak")
                    || l.startsWith("t=")
                    || l.startsWith("baseline")
                    || l.startsWith("sigterm")
                    || l.startsWith("disk-full"))
        .forEach(System.out::println);
    assertThat(done).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("soak: all checks passed").doesNotContain("FAILED:");

    Map<String, Long> n = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^soak (\\w+) = (-?\\d+)$").matcher(out);
    while (m.find()) {
      n.put(m.group(1), Long.parseLong(m.group(2)));
    }
    // 40 requests a second for 15 s, every one answered.
    assertThat(n.get("requests_sent")).as(out).isBetween(590L, 610L);
    assertThat(n.get("requests_failed_unexpectedly")).isZero();
    assertThat(n.get("requests_succeeded") + n.get("requests_failed_outage"))
        .isEqualTo(n.get("requests_sent"));
    assertThat(n.get("signed_requests"))
        .isEqualTo(n.get("traces_started") + n.get("traces_rate_limited"));
    assertThat(n.get("spans_accepted"))
        .isEqualTo(n.get("spans_stored") + n.get("spans_dropped_collector"));
    assertThat(n.get("events_in_collector")).isEqualTo(2 * n.get("spans_stored"));
    assertThat(n.get("spans_in_wrong_trace")).isZero();
    assertThat(n.get("spans_dropped_queue_full")).isPositive();
    assertThat(n.get("spans_dropped_collector")).isPositive();
    assertThat(n.get("queue_capacity")).isEqualTo(64L);
    assertThat(n.get("spans_offered"))
        .isEqualTo(n.get("spans_accepted") + n.get("spans_dropped_queue_full"));
    // every fault ends with the collector storing again
    for (String fault : new String[] {"killed", "slow", "black_holed"}) {
      assertThat(n.get("recovery_ms_after_" + fault)).as(fault).isBetween(0L, 10_000L);
    }
    // a 1,605-character base id is stored like any other
    assertThat(n.get("long_id_traces_in_collector")).isPositive();
    if (out.contains("soak disk_full_phase = ran")) {
      assertThat(n.get("torn_lines")).isZero();
      assertThat(n.get("spans_dropped_disk_full")).isPositive();
      assertThat(n.get("recovery_ms_after_disk_full")).isBetween(0L, 10_000L);
    } else {
      assertThat(out).contains("disk-full phase skipped: cannot mount a tmpfs");
    }
    // the service SIGTERMed under load: within its bound, counters that add up, nothing lost
    assertThat(n.get("sigterm_requests_failed_before")).isZero();
    assertThat(n.get("sigterm_requests_answered_before")).isPositive();
    assertThat(n.get("sigterm_spans_accepted"))
        .isEqualTo(
            n.get("sigterm_spans_stored")
                + n.get("sigterm_spans_dropped_collector")
                + n.get("sigterm_spans_left_unstored"));
    assertThat(n.get("sigterm_spans_dropped_collector")).isZero();
    assertThat(n.get("sigterm_events_in_collector")).isEqualTo(2 * n.get("sigterm_spans_stored"));
    assertThat(n.get("sigterm_exit_ms")).isLessThanOrEqualTo(8_000L);
    // ... and with its collector black-holed: still within the bound, every span counted
    assertThat(n.get("sigterm_black_holed_requests_failed_before")).isZero();
    assertThat(n.get("sigterm_black_holed_spans_stored")).isZero();
    assertThat(
            n.get("sigterm_black_holed_spans_dropped_collector")
                + n.get("sigterm_black_holed_spans_left_unstored"))
        .isEqualTo(n.get("sigterm_black_holed_spans_accepted"));
    assertThat(n.get("sigterm_black_holed_exit_ms")).isLessThanOrEqualTo(8_000L);
  }
}
