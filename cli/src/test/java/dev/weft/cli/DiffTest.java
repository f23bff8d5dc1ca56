package dev.weft.cli;

import static dev.weft.cli.SampleTraces.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffTest {
  @TempDir Path dir;

  static Map<String, Object> get(int queue) {
    return map("request", map("method", "GET", "path", "/v2/queues/demo-" + queue + "/messages"));
  }

  static Map<String, Object> redis(int queue) {
    return map("db", map("operation", "GET", "key", "queue:demo-" + queue));
  }

  static final Map<String, Object> SELECT =
      map("db", map("statement", "SELECT * FROM queues WHERE id = ?"));
  static final Map<String, Object> FIND =
      map("db", map("operation", "find", "collection", "messages"));

  static Map<String, Object> checkout(long waitMicros) {
    return map("pooling", map("pool", "management", "wait_micros", waitMicros));
  }

  /** The same read twice: B's SQL is faster, its pool wait and MongoDB find slower. */
  void store() {
    new Bottlenecks.Trace("a")
        .span("e", null, "wsgi", 0, 10_000, get(1), map())
        .span("d", "e", "db", 100, 2_100, SELECT, map())
        .span("r", "e", "redis", 2_200, 2_500, redis(1), map())
        .span("r2", "e", "redis", 2_600, 2_700, redis(1), map())
        .span("p", "e", "pooling", 2_800, 2_850, checkout(50), map())
        .span("m", "e", "mongodb", 3_000, 9_000, FIND, map())
        .writeTo(dir);
    new Bottlenecks.Trace("b")
        .span("e", null, "wsgi", 0, 14_000, get(2), map())
        .span("d", "e", "db", 100, 1_100, SELECT, map())
        .span("r", "e", "redis", 1_200, 1_500, redis(2), map())
        .span("p", "e", "pooling", 1_600, 2_500, checkout(900), map())
        .span("m", "e", "mongodb", 2_600, 12_600, FIND, map())
        .span(
            "h",
            "e",
            "https",
            12_700,
            13_900,
            map(
                "requests",
                map("method", "PUT", "path", "/v2/queues/demo-2", "hostname", "127.0.0.1")),
            map())
        .writeTo(dir);
  }

  @Test
  void whatAppearedDisappearedGotSlowerOrFasterLargestChangeFirst() {
    store();

    CliRunner.Result r = CliRunner.run("trace", "diff", "a", "b", "-c", "file://" + dir);

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines())
        .containsExactly(
            "A a: 6 spans, 10 ms; critical path: SQL 20 % · Redis 4 % · MongoDB 60 % · pool wait"
                + " 1 % · entry 15 %",
            "B b: 6 spans, 14 ms; critical path: SQL 7 % · Redis 2 % · MongoDB 72 % · pool wait"
                + " 6 % · HTTP out 9 % · entry 4 %",
            "Change: +4 ms (+40 %); 3 slower, 1 faster, 1 appeared, 1 disappeared, 1 the same",
            "",
            "CHANGE             A       B     DELTA        %  SPAN",
            "slower         10 ms   14 ms     +4 ms    +40 %  wsgi GET /v2/queues/demo-1/messages",
            "slower          6 ms   10 ms     +4 ms  +66.7 %  wsgi GET /v2/queues/demo-1/messages"
                + " › mongodb find messages",
            "appeared           -  1.2 ms   +1.2 ms      new  wsgi GET /v2/queues/demo-1/messages"
                + " › https PUT 127.0.0.1/v2/queues/demo-2",
            "faster          2 ms    1 ms     -1 ms    -50 %  wsgi GET /v2/queues/demo-1/messages"
                + " › db SELECT queues",
            "slower       0.05 ms  0.9 ms  +0.85 ms  +1700 %  wsgi GET /v2/queues/demo-1/messages"
                + " › pooling checkout management (50 µs)",
            "disappeared   0.1 ms       -   -0.1 ms     gone  wsgi GET /v2/queues/demo-1/messages"
                + " › redis GET queue:demo-1 #2",
            "same          0.3 ms  0.3 ms      0 ms      0 %  wsgi GET /v2/queues/demo-1/messages"
                + " › redis GET queue:demo-1");
  }

  @Test
  void theSameAsAPage() throws Exception {
    store();
    Path out = dir.resolve("diff.html");

    CliRunner.Result r =
        CliRunner.run("trace", "diff", "a", "b", "-c", "file://" + dir, "--html", "-o", "" + out);

    assertThat(r.exitCode()).isEqualTo(0);
    String html = Files.readString(out);
    assertThat(html)
        .startsWith("<!DOCTYPE html>\n")
        .contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">",
            "<title>Weft diff a \u2192 b</title>",
            "<tr class=\"appeared\"><td class=\"kind\">appeared</td><td>-</td><td>1.2 ms</td>"
                + "<td class=\"delta\">+1.2 ms</td><td>new</td>",
            "<td class=\"span\">wsgi GET /v2/queues/demo-1/messages \u203a redis GET"
                + " queue:demo-1 #2</td>")
        .doesNotContain("<script")
        .doesNotContain("http://")
        .doesNotContainPattern("(?i)<link|@import|url\\(|src=");
    assertThat(HtmlViewTest.count(html, "<tr class=\"")).isEqualTo(7);
  }

  @Test
  void aMissingTraceExitsWith1() {
    store();

    CliRunner.Result r = CliRunner.run("trace", "diff", "a", "zz", "-c", "file://" + dir);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("weft: trace zz not found in file://" + dir + "\n");
  }

  @Test
  void twoChains2500DeepAreAlignedSpanBySpan() {
    SampleTraces.chain("deep", DeepTraceTest.N).writeTo(dir);

    CliRunner.Result r = CliRunner.run("trace", "diff", "deep", "deep", "-c", "file://" + dir);

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out().lines().toList().get(2))
        .isEqualTo(
            "Change: 0 ms (0 %); 0 slower, 0 faster, 0 appeared, 0 disappeared, 2500 the same");
    assertThat(r.out()).endsWith("  n0001 › … › n2498 › n2499 › n2500\n");
  }
}
