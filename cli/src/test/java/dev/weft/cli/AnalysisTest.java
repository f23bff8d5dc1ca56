package dev.weft.cli;

import static dev.weft.cli.SampleTraces.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.internal.Analysis;
import dev.weft.cli.internal.Analysis.Category;
import dev.weft.cli.internal.TraceModel;
import dev.weft.cli.internal.TraceModel.SpanNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Self time, the critical path and the category shares of constructed traces, exactly. */
class AnalysisTest {
  static SpanNode span(TraceModel t, String id) {
    for (SpanNode s : t.spans) {
      if (s.traceId.equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no span " + id);
  }

  /** Each span's self time, in µs, by trace_id. */
  static Map<String, Long> self(Analysis a) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (SpanNode s : a.trace.spans) {
      m.put(s.traceId, a.selfUs(s));
    }
    return m;
  }

  /** Each span's part of the critical path, in µs, by trace_id (spans on the path only). */
  static Map<String, Long> critical(Analysis a) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (SpanNode s : a.trace.spans) {
      if (a.onCriticalPath(s)) {
        m.put(s.traceId, a.criticalUs(s));
      }
    }
    return m;
  }

  /** The critical path as {@code id from..to} strings, earliest first. */
  static List<String> path(Analysis a) {
    List<String> l = new ArrayList<>();
    for (Analysis.Segment s : a.criticalPath()) {
      l.add(s.span().traceId + " " + s.fromUs() + ".." + s.toUs());
    }
    return l;
  }

  @Test
  void overlappingChildrenAreMergedAndTheLastToFinishIsOnThePath() {
    TraceModel t =
        new Bottlenecks.Trace("ov")
            .span("r", null, "wsgi", 0, 100)
            .span("a", "r", "db", 10, 40)
            .span("b", "r", "redis", 30, 60)
            .span("c", "r", "http", 70, 80)
            .model();

    Analysis a = Analysis.of(t);

    // r: 100 minus [10, 60] and [70, 80].
    assertThat(self(a))
        .containsExactly(
            Map.entry("r", 40L), Map.entry("a", 30L), Map.entry("b", 30L), Map.entry("c", 10L));
    assertThat(path(a)).containsExactly("r 0..30", "b 30..60", "r 60..70", "c 70..80", "r 80..100");
    assertThat(critical(a))
        .containsExactly(Map.entry("r", 60L), Map.entry("b", 30L), Map.entry("c", 10L));
    assertThat(a.onCriticalPath(span(t, "a"))).isFalse();
    assertThat(a.selfUs()).isEqualTo(110);
    assertThat(a.criticalPathUs()).isEqualTo(100);
    assertThat(a.selfUs(Category.SQL)).isEqualTo(30);
    assertThat(a.criticalUs(Category.SQL)).isZero();
    // 30/110, 30/110, 10/110, 40/110: 27.3, 27.3, 9.1, 36.4; the point left goes to entry.
    assertThat(a.shares(false)).isEqualTo("SQL 27 % · Redis 27 % · HTTP out 9 % · entry 37 %");
    assertThat(a.shares(true)).isEqualTo("Redis 30 % · HTTP out 10 % · entry 60 %");
  }

  @Test
  void anAsyncChildThatStartsAfterItsParentEndedIsWaitedOn() {
    TraceModel t =
        new Bottlenecks.Trace("async")
            .span("r", null, "wsgi", 0, 50)
            .span("p", "r", "Worker.submit", 5, 20)
            .span("q", "p", "Consumer.handle", 30, 90)
            .span("o", "r", "db", 40, 70)
            .model();

    Analysis a = Analysis.of(t);

    // q starts after p stopped: none of it is inside p. o outlives r: only 40..50 is inside r.
    assertThat(self(a))
        .containsExactly(
            Map.entry("r", 25L), Map.entry("p", 15L), Map.entry("q", 60L), Map.entry("o", 30L));
    // The trace ends when q does (90): r waits on p, which handed off to q; p's part runs on
    // from its stop (20) to q's start (30), the hand-off. o ends at 70, after the cursor reached
    // p's start: it is not on the path.
    assertThat(path(a)).containsExactly("r 0..5", "p 5..30", "q 30..90");
    assertThat(critical(a))
        .containsExactly(Map.entry("r", 5L), Map.entry("p", 25L), Map.entry("q", 60L));
    assertThat(a.onCriticalPath(span(t, "o"))).isFalse();
    assertThat(a.criticalPathUs()).isEqualTo(t.totalUs).isEqualTo(90);
    assertThat(a.shares(true)).isEqualTo("entry 6 % · app 94 %");
    assertThat(a.shares(false)).isEqualTo("SQL 23 % · entry 19 % · app 58 %");
  }

  @Test
  void aChildThatOutlivesItsParentCountsInsideTheParentOnlyButCarriesThePathToItsEnd() {
    TraceModel t =
        new Bottlenecks.Trace("out")
            .span("r", null, "wsgi", 0, 50)
            .span("o", "r", "http", 40, 80)
            .model();

    Analysis a = Analysis.of(t);

    assertThat(self(a)).containsExactly(Map.entry("r", 40L), Map.entry("o", 40L));
    assertThat(path(a)).containsExactly("r 0..40", "o 40..80");
    assertThat(a.shares(false)).isEqualTo("HTTP out 50 % · entry 50 %");
  }

  @Test
  void spansThatLostAnEventStandAtTheirOneEventAndTheirChildrenStillCount() {
    TraceModel t =
        new Bottlenecks.Trace("lost")
            .span("r", null, "wsgi", 0, 100)
            .start("u", "r", "db", 10, map())
            .span("k", "u", "redis", 20, 30)
            .stop("s", "r", "hibernate", 60, map())
            .model();

    Analysis a = Analysis.of(t);

    SpanNode u = span(t, "u");
    SpanNode s = span(t, "s");
    assertThat(u.finished).isFalse();
    assertThat(s.startEvent).isNull();
    // Neither u nor s has a duration: r's children take no time out of it, and theirs is 0.
    assertThat(self(a))
        .containsExactly(
            Map.entry("r", 100L), Map.entry("u", 0L), Map.entry("k", 10L), Map.entry("s", 0L));
    // s stands at 60, u at 10 with its child running 20..30.
    assertThat(path(a)).containsExactly("r 0..10", "u 10..20", "k 20..30", "r 30..100");
    assertThat(critical(a))
        .containsExactly(
            Map.entry("r", 80L), Map.entry("u", 10L), Map.entry("k", 10L), Map.entry("s", 0L));
    assertThat(a.shares(false)).isEqualTo("Redis 9 % · entry 91 %");
  }

  @Test
  void aTraceWithSeveralTopLevelSpansLeavesTheGapsBetweenThemOffThePath() {
    TraceModel t =
        new Bottlenecks.Trace("roots")
            .span("r1", null, "wsgi", 0, 10)
            .span("r2", "elsewhere", "wsgi", 30, 50)
            .model();

    Analysis a = Analysis.of(t);

    assertThat(path(a)).containsExactly("r1 0..10", "r2 30..50");
    assertThat(a.criticalPathUs()).isEqualTo(30);
    assertThat(t.totalUs).isEqualTo(50);
  }

  @Test
  void twoServicesOverHttpsWithTheLabelsOfWhatEachSpanDid() {
    TraceModel t = Bottlenecks.queues().model();

    Analysis a = Analysis.of(t);

    Map<String, String> labels = new LinkedHashMap<>();
    for (SpanNode s : t.spans) {
      labels.put(s.traceId, a.label(s));
    }
    assertThat(labels)
        .containsExactly(
            Map.entry("e1", "wsgi GET /v2/queues/demo-1/messages"),
            Map.entry("p1", "pooling checkout management (65 µs)"),
            Map.entry("h1", "hibernate find QueueRecord"),
            Map.entry("d1", "db SELECT weft_queues"),
            Map.entry("r1", "redis GET queue:demo-1"),
            Map.entry("x1", "https PUT 127.0.0.1/v2/queues/demo-1"),
            Map.entry("e2", "wsgi PUT /v2/queues/demo-1"),
            Map.entry("m1", "mongodb find messages"),
            Map.entry("a1", "audit_log AuditLog.record"));
    assertThat(self(a))
        .containsExactly(
            Map.entry("e1", 1535L),
            Map.entry("p1", 65L),
            Map.entry("h1", 300L),
            Map.entry("d1", 4700L),
            Map.entry("r1", 400L),
            Map.entry("x1", 1500L),
            Map.entry("e2", 1500L),
            Map.entry("m1", 10_000L),
            Map.entry("a1", 800L));
    // Every span but the audit log, which ran beside the MongoDB find.
    assertThat(critical(a))
        .containsExactly(
            Map.entry("e1", 1535L),
            Map.entry("p1", 65L),
            Map.entry("h1", 300L),
            Map.entry("d1", 4700L),
            Map.entry("r1", 400L),
            Map.entry("x1", 1500L),
            Map.entry("e2", 1500L),
            Map.entry("m1", 10_000L));
    assertThat(a.shares(false))
        .isEqualTo(
            "SQL 24 % · Redis 2 % · MongoDB 48 % · pool wait <1 % · HTTP out 7 % · entry 15 %"
                + " · app 4 %");
    assertThat(a.shares(true))
        .isEqualTo(
            "SQL 25 % · Redis 2 % · MongoDB 50 % · pool wait <1 % · HTTP out 8 % · entry 15 %");
  }

  @Test
  void aChain2500DeepIsAnalysedAsStoredNotAsListedAfterTheDepthLimit() {
    TraceModel t =
        dev.weft.cli.internal.LoadedTrace.load(
                "deep", chainEvents(), dev.weft.cli.internal.Limits.DEFAULT)
            .model();

    Analysis a = Analysis.of(t);

    // Span i runs (i-1) .. 10000-(i-1) µs; each but the last has 1 µs of its own at each end.
    long sum = 0;
    for (SpanNode s : t.spans) {
      int i = Integer.parseInt(s.traceId.substring(1));
      assertThat(a.selfUs(s))
          .as(s.traceId)
          .isEqualTo(i == DeepTraceTest.N ? 10_000 - 2L * (i - 1) : 2);
      assertThat(a.onCriticalPath(s)).isTrue();
      sum += a.selfUs(s);
    }
    assertThat(sum).isEqualTo(10_000);
    assertThat(a.criticalPathUs()).isEqualTo(10_000);
    assertThat(a.criticalPath()).hasSize(2 * DeepTraceTest.N - 1);
  }

  @Test
  void viewsSaysWhereTheTimeWentInThreeLines() {
    String b = Views.bottleneck(Bottlenecks.QUEUES_ID, Bottlenecks.queues().raw());

    assertThat(b)
        .isEqualTo(
            "Self time 20.8 ms: SQL 24 % · Redis 2 % · MongoDB 48 % · pool wait <1 % · HTTP out 7 %"
                + " · entry 15 % · app 4 %\n"
                + "Critical path 20 ms (spans marked *): SQL 25 % · Redis 2 % · MongoDB 50 % · pool"
                + " wait <1 % · HTTP out 8 % · entry 15 %\n"
                + "Most of the critical path: mongodb find messages 10 ms · db SELECT weft_queues"
                + " 4.7 ms · wsgi GET /v2/queues/demo-1/messages 1.535 ms\n");
  }

  private static List<String> chainEvents() {
    java.nio.file.Path dir;
    try {
      dir = java.nio.file.Files.createTempDirectory("weft-chain");
      SampleTraces.chain("deep", DeepTraceTest.N).writeTo(dir);
      return java.nio.file.Files.readAllLines(dir.resolve("deep.jsonl"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
