package dev.weft.cli;

import static dev.weft.cli.SampleTraces.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.internal.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsTest {
  @TempDir Path dir;

  /**
   * Trace {@code tK} starts K minutes after {@link Bottlenecks#T0}: an entry of {@code total} µs, a
   * SQL select of {@code sql} µs from 100 µs in, then a 300 µs Redis GET; t3 also has a 800 µs
   * MongoDB find on service storage, and t4's entry fails.
   */
  static Bottlenecks.Trace trace(int k, long total, long sql) {
    Bottlenecks.Trace t =
        new Bottlenecks.Trace("t" + k, Bottlenecks.T0.plusMinutes(k))
            .service("api")
            .span(
                "e",
                null,
                "wsgi",
                0,
                total,
                map("request", map("method", "GET", "path", "/v2/queues/demo-" + k + "/messages")),
                k == 4 ? map("etype", "TimeoutError", "message", "slow") : map())
            .span(
                "d",
                "e",
                "db",
                100,
                100 + sql,
                map("db", map("statement", "SELECT * FROM queues WHERE id = ?")),
                map())
            .span(
                "r",
                "e",
                "redis",
                sql + 200,
                sql + 500,
                map("db", map("operation", "GET", "key", "queue:demo-" + k)),
                map());
    if (k == 3) {
      t.service("storage")
          .span(
              "m",
              "e",
              "mongodb",
              2100,
              2900,
              map("db", map("operation", "find", "collection", "messages")),
              map());
    }
    return t;
  }

  void store() {
    trace(1, 2000, 1000).writeTo(dir);
    trace(2, 5000, 4000).writeTo(dir);
    trace(3, 3000, 1500).writeTo(dir);
    trace(4, 1000, 500).writeTo(dir);
  }

  CliRunner.Result stats(String... more) {
    List<String> args = new ArrayList<>(List.of("trace", "stats", "-c", "file://" + dir));
    args.addAll(Arrays.asList(more));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void perLabelCountsTimesPercentilesErrorsAndTheSlowestTraces() {
    store();

    CliRunner.Result r = stats();

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    // Entry durations 1, 2, 3, 5 ms: p50 is the 2nd (2 ms: the bucket 2000..2007 µs), p95 and
    // p99 the 4th (5 ms: 4992..5023 µs); shown to three digits.
    assertThat(r.out())
        .isEqualTo(
            "Stats over 4 traces, 13 spans in file://"
                + dir
                + ", first events 2025-03-14T09:27:53.000000 to 2025-03-14T09:30:53.000000\n"
                + "Self time: SQL 64 % · Redis 11 % · MongoDB 7 % · entry 18 %\n"
                + "\n"
                + "LABEL                                COUNT   TOTAL    SELF       P50       P95"
                + "       P99    ERRORS\n"
                + "db SELECT queues                         4    7 ms    7 ms      1 ms   4.02 ms"
                + "   4.02 ms         0\n"
                + "wsgi GET /v2/queues/demo-?/messages      4   11 ms    2 ms   2.01 ms   5.02 ms"
                + "   5.02 ms  1 (25 %)\n"
                + "redis GET queue:demo-?                   4  1.2 ms  1.2 ms  0.301 ms  0.301 ms"
                + "  0.301 ms         0\n"
                + "mongodb find messages                    1  0.8 ms  0.8 ms  0.803 ms  0.803 ms"
                + "  0.803 ms         0\n"
                + "\n"
                + "Slowest traces\n"
                + "\n"
                + "BASE_ID  FIRST EVENT                 DURATION  SPANS  ERRORS  ROOT\n"
                + "t2       2025-03-14T09:28:53.000000      5 ms      3       0"
                + "  wsgi GET /v2/queues/demo-2/messages\n"
                + "t3       2025-03-14T09:29:53.000000      3 ms      4       0"
                + "  wsgi GET /v2/queues/demo-3/messages\n"
                + "t1       2025-03-14T09:27:53.000000      2 ms      3       0"
                + "  wsgi GET /v2/queues/demo-1/messages\n"
                + "t4       2025-03-14T09:30:53.000000      1 ms      3       1"
                + "  wsgi GET /v2/queues/demo-4/messages\n");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSameAsJson() throws Exception {
    store();

    CliRunner.Result r = stats("--json", "--slowest", "1");

    assertThat(r.exitCode()).isEqualTo(0);
    Map<String, Object> m = new ObjectMapper().readValue(r.out(), Map.class);
    assertThat(m)
        .containsEntry("traces", 4)
        .containsEntry("spans", 13)
        .containsEntry("from", "2025-03-14T09:27:53.000000");
    assertThat((Map<String, Object>) m.get("self_shares"))
        .containsEntry("sql", 0.6364)
        .containsEntry("redis", 0.1091)
        .containsEntry("app", 0.0);
    List<Map<String, Object>> labels = (List<Map<String, Object>>) m.get("labels");
    assertThat(labels)
        .extracting(l -> l.get("label"))
        .containsExactly(
            "db SELECT queues",
            "wsgi GET /v2/queues/demo-?/messages",
            "redis GET queue:demo-?",
            "mongodb find messages");
    Map<String, Object> entry = new HashMap<>(labels.get(1));
    assertThat(entry)
        .containsEntry("category", "entry")
        .containsEntry("count", 4)
        .containsEntry("total_ms", 11.0)
        .containsEntry("self_ms", 2.0)
        .containsEntry("p50_ms", 2.007)
        .containsEntry("p95_ms", 5.023)
        .containsEntry("p99_ms", 5.023)
        .containsEntry("errors", 1)
        .containsEntry("error_rate", 0.25);
    assertThat((List<Map<String, Object>>) m.get("slowest"))
        .singleElement()
        .satisfies(s -> assertThat(s).containsEntry("base_id", "t2").containsEntry("spans", 3));
  }

  @Test
  void sinceLastServiceAndNameSelect() {
    store();

    assertThat(stats("--since", "2025-03-14T09:28:53").out())
        .startsWith("Stats over 3 traces, 10 spans in ");
    assertThat(stats("--since", "2025-03-14T10:28:53+01:00").out())
        .startsWith("Stats over 3 traces, 10 spans in ");
    assertThat(stats("--since", "2025-03-15").out()).startsWith("Stats over 0 traces, 0 spans in ");
    assertThat(stats("--since", "1h").out()).startsWith("Stats over 0 traces, 0 spans in ");
    assertThat(stats("--since", "36500d").out()).startsWith("Stats over 4 traces, 13 spans in ");
    assertThat(stats("--last", "2").out())
        .contains("first events 2025-03-14T09:29:53.000000 to 2025-03-14T09:30:53.000000");
    String storage = stats("--service", "storage").out();
    assertThat(storage).startsWith("Stats over 1 trace, 1 span in ");
    assertThat(storage).contains("\nmongodb find messages  ");
    String db = stats("--name", "db ", "--slowest", "0").out();
    assertThat(db)
        .contains("Self time: SQL 100 %\n")
        .contains("\ndb SELECT queues  ")
        .doesNotContain("redis")
        .doesNotContain("Slowest");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    CliRunner.Result since = stats("--since", "yesterday");
    CliRunner.Result last = stats("--last", "0");

    assertThat(since.exitCode()).isEqualTo(2);
    assertThat(since.err()).startsWith("--since takes an ISO time");
    assertThat(last.exitCode()).isEqualTo(2);
    assertThat(last.err()).startsWith("--last must be at least 1");
  }

  @Test
  void labelsPastTheLimitShareOneRow() {
    store();

    String out = stats("--max-labels", "2").out();

    assertThat(out)
        .contains("\ndb SELECT queues  ")
        .contains("\nwsgi GET /v2/queues/demo-?/messages  ")
        .contains("\n(other labels)  ")
        .doesNotContain("redis GET");
  }

  @Test
  void theHtmlPageChartsSelfTimeInInlineSvgAndFetchesNothing() throws Exception {
    store();
    Path out = dir.resolve("stats.html");

    CliRunner.Result r = stats("--html", "-o", out.toString());

    assertThat(r.exitCode()).isEqualTo(0);
    String html = Files.readString(out);
    assertThat(html)
        .startsWith("<!DOCTYPE html>\n")
        .contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">")
        .contains("<svg class=\"chart\"")
        .contains("<td>db SELECT queues</td><td>4</td><td>7 ms</td><td>7 ms</td><td>1 ms</td>")
        .doesNotContain("<script")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContainPattern("(?i)<link|@import|url\\(|src=");
    assertThat(HtmlViewTest.count(html, "<rect class=\"f")).isEqualTo(4);
    // db is SQL's colour, mongodb MongoDB's.
    assertThat(html).contains("<rect class=\"f1\"").contains("<rect class=\"f2\"");
  }

  /**
   * Percentiles against the exact nearest-rank value of the sorted durations: each reported value
   * is the top of the histogram bucket that holds the exact one, at most 1 % above it.
   */
  @Test
  void percentilesAreTheBruteForceValuesWithinTheHistogramsPrecision() {
    Random random = new Random(20261202);
    Stats st = new Stats(null, null, 5, 100);
    Map<String, List<Long>> recorded = new HashMap<>();
    for (int i = 0; i < 6000; i++) {
      String name;
      long d;
      switch (i % 3) {
        case 0 -> {
          name = "uniform";
          d = random.nextInt(1001);
        }
        case 1 -> {
          name = "wide";
          d = (long) Math.pow(10, 7 * random.nextDouble()); // 1 µs .. 10 s
        }
        default -> {
          name = "ties";
          d = new long[] {250, 250, 250, 1_500, 42_000}[random.nextInt(5)];
        }
      }
      recorded.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
      st.add(new Bottlenecks.Trace("r" + i).span("s", null, name, 0, d).model(), null);
    }

    assertThat(st.traces()).isEqualTo(6000);
    assertThat(st.rows()).hasSize(3);
    for (Stats.Row row : st.rows()) {
      long[] sorted =
          recorded.get(row.label).stream().mapToLong(Long::longValue).sorted().toArray();
      assertThat(row.count).isEqualTo(sorted.length);
      assertThat(row.totalUs).isEqualTo(Arrays.stream(sorted).sum());
      for (int p : new int[] {50, 95, 99}) {
        long exact = sorted[(int) ((p * (long) sorted.length + 99) / 100) - 1];
        long got = row.percentileUs(p);
        assertThat(got)
            .as("%s p%d of %d values", row.label, p, sorted.length)
            .isEqualTo(row.durations.highestEquivalentValue(exact))
            .isBetween(exact, exact + exact / 100);
      }
    }
    assertThat(st.slowest()).hasSize(5);
  }
}
