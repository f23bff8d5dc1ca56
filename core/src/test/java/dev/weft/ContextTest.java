package dev.weft;

import static dev.weft.Recorded.HOST_ONLY;
import static dev.weft.Recorded.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.context.Ids;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContextTest {
  private static ExecutorService worker;

  @BeforeAll
  static void setUp() {
    Recorded.configure();
    worker = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    worker.shutdown();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    Recorded.reset();
  }

  private static List<String> names(List<Map<String, Object>> events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add((String) e.get("name")));
    return out;
  }

  /** The state of the worker thread, as seen from the worker thread. */
  private static String workerState() throws Exception {
    return worker
        .submit(
            () ->
                Trace.active()
                    + " "
                    + Trace.baseId()
                    + " "
                    + Trace.currentSpanId()
                    + " "
                    + ThreadContext.forThread().depth()
                    + " "
                    + TraceHeaders.outgoing())
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void captureAndRestore_onAnotherThread_makesChildrenOfTheCapturedSpan() throws Exception {
    String base = Ids.newId();
    String parent = Ids.newId();
    assertThat(workerState()).isEqualTo("false null null 0 {}");
    String outerId;
    String[] innerId = new String[1];
    try (TraceScope t = Trace.begin(base, parent, null)) {
      try (Span outer = Trace.span("outer")) {
        outerId = outer.id();
        TraceSnapshot snap = Trace.capture();
        assertThat(snap.isEmpty()).isFalse();
        assertThat(snap.baseId()).isEqualTo(base);
        worker
            .submit(
                () -> {
                  try (TraceScope s = snap.restore()) {
                    assertThat(Trace.baseId()).isEqualTo(base);
                    assertThat(Trace.currentSpanId()).isEqualTo(outerId);
                    try (Span inner = Trace.span("inner")) {
                      innerId[0] = inner.id();
                      inner.info("k", "v");
                    }
                  }
                })
            .get(10, TimeUnit.SECONDS);
        assertThat(workerState()).isEqualTo("false null null 0 {}");
        worker.submit(snap.wrap(() -> Trace.span("wrapped").close())).get(10, TimeUnit.SECONDS);
        assertThat(workerState()).isEqualTo("false null null 0 {}");
      }
    }
    assertThat(Trace.active()).isFalse();

    List<Map<String, Object>> events = Recorded.events(base);
    assertThat(names(events))
        .containsExactly(
            "inner-start",
            "inner-stop",
            "wrapped-start",
            "wrapped-stop",
            "outer-start",
            "outer-stop");
    String wrappedId = (String) events.get(2).get("trace_id");
    assertThat(events)
        .containsExactly(
            event(
                "inner-start",
                base,
                innerId[0],
                outerId,
                events.get(0).get("timestamp"),
                Map.of("k", "v", "host", "test-host")),
            event(
                "inner-stop", base, innerId[0], outerId, events.get(1).get("timestamp"), HOST_ONLY),
            event(
                "wrapped-start",
                base,
                wrappedId,
                outerId,
                events.get(2).get("timestamp"),
                HOST_ONLY),
            event(
                "wrapped-stop",
                base,
                wrappedId,
                outerId,
                events.get(3).get("timestamp"),
                HOST_ONLY),
            event("outer-start", base, outerId, parent, events.get(4).get("timestamp"), HOST_ONLY),
            event("outer-stop", base, outerId, parent, events.get(5).get("timestamp"), HOST_ONLY));
    assertThat(wrappedId).isNotIn(outerId, innerId[0]);
    long outerStart = Timestamps.parse((String) events.get(4).get("timestamp"));
    long innerStart = Timestamps.parse((String) events.get(0).get("timestamp"));
    long innerStop = Timestamps.parse((String) events.get(1).get("timestamp"));
    long outerStop = Timestamps.parse((String) events.get(5).get("timestamp"));
    assertThat(outerStart).isLessThanOrEqualTo(innerStart);
    assertThat(innerStart).isLessThanOrEqualTo(innerStop);
    assertThat(innerStop).isLessThanOrEqualTo(outerStop);
  }

  @Test
  void captureWithoutTrace_isEmptyAndRestoresNothing() throws Exception {
    TraceSnapshot snap = Trace.capture();
    assertThat(snap.isEmpty()).isTrue();
    assertThat(snap.baseId()).isNull();
    Runnable task = () -> {};
    assertThat(snap.wrap(task)).isSameAs(task);
    try (TraceScope s = snap.restore()) {
      assertThat(Trace.active()).isFalse();
      assertThat(Trace.span("x").isRecording()).isFalse();
    }
  }

  @Test
  void nestedScope_restoresThePreviousTraceAndSpan() {
    String a = Ids.newId();
    String b = Ids.newId();
    String a1Id;
    try (TraceScope ta = Trace.begin(a, null, "key-a")) {
      assertThat(Trace.currentSpanId()).isEqualTo(a); // parent defaults to the base_id
      try (Span a1 = Trace.span("a1")) {
        a1Id = a1.id();
        try (TraceScope tb = Trace.begin(b, "pb", null)) {
          assertThat(tb.baseId()).isEqualTo(b);
          assertThat(Trace.baseId()).isEqualTo(b);
          assertThat(Trace.currentSpanId()).isEqualTo("pb");
          try (Span b1 = Trace.span("b1")) {
            assertThat(TraceHeaders.outgoing()).doesNotContainKey(TraceHeaders.X_TRACE_INFO);
          }
        }
        assertThat(Trace.baseId()).isEqualTo(a);
        assertThat(Trace.currentSpanId()).isEqualTo(a1Id);
        assertThat(TraceHeaders.outgoing())
            .containsEntry(
                TraceHeaders.X_TRACE_INFO,
                dev.weft.internal.headers.OsprofilerHeaders.info(a, a1Id));
      }
      assertThat(Trace.currentSpanId()).isEqualTo(a);
    }
    assertThat(Trace.active()).isFalse();
    assertThat(Trace.baseId()).isNull();

    List<Map<String, Object>> ea = Recorded.events(a);
    assertThat(names(ea)).containsExactly("a1-start", "a1-stop");
    assertThat(ea.get(0)).containsEntry("trace_id", a1Id).containsEntry("parent_id", a);
    List<Map<String, Object>> eb = Recorded.events(b);
    assertThat(names(eb)).containsExactly("b1-start", "b1-stop");
    assertThat(eb.get(0)).containsEntry("parent_id", "pb");
  }

  @Test
  void closingAScopeTwice_doesNotDisturbTheRestoredState() {
    String a = Ids.newId();
    try (TraceScope ta = Trace.begin(a, null, null)) {
      TraceScope tb = Trace.begin(Ids.newId(), null, null);
      tb.close();
      tb.close();
      assertThat(Trace.baseId()).isEqualTo(a);
    }
    assertThat(Trace.active()).isFalse();
  }

  @Test
  void outOfOrderClose_recordsTheClosedSpanAndAbandonsTheOnesAboveIt() {
    String base = Ids.newId();
    String outerId;
    String afterId;
    try (TraceScope t = Trace.begin(base, null, null)) {
      Span outer = Trace.span("outer");
      Span inner = Trace.span("inner");
      outerId = outer.id();
      outer.close(); // out of order: inner is still open
      assertThat(Trace.currentSpanId()).isEqualTo(base);
      inner.close(); // no longer open: records nothing
      try (Span after = Trace.span("after")) {
        afterId = after.id();
        assertThat(after.id()).isNotEqualTo(outerId);
      }
    }
    List<Map<String, Object>> events = Recorded.events(base);
    assertThat(names(events))
        .containsExactly("outer-start", "outer-stop", "after-start", "after-stop");
    assertThat(events.get(0)).containsEntry("trace_id", outerId).containsEntry("parent_id", base);
    assertThat(events.get(2)).containsEntry("trace_id", afterId).containsEntry("parent_id", base);
  }

  @Test
  void staleSpanHandle_neverClosesALaterSpanThatReusedItsSlot() {
    String base = Ids.newId();
    String xId;
    String yId;
    try (TraceScope t = Trace.begin(base, null, null)) {
      Span outer = Trace.span("outer");
      Span inner = Trace.span("inner");
      outer.close(); // out of order: inner is abandoned
      try (Span x = Trace.span("x")) {
        xId = x.id();
        try (Span y = Trace.span("y")) {
          yId = y.id();
          inner.close(); // stale: must not end y
          outer.close(); // closed already: must not end x
          inner.info("stale", "write");
          assertThat(Trace.currentSpanId()).isEqualTo(yId);
        }
        assertThat(Trace.currentSpanId()).isEqualTo(xId);
      }
    }
    List<Map<String, Object>> events = Recorded.events(base);
    assertThat(names(events))
        .containsExactly("outer-start", "outer-stop", "y-start", "y-stop", "x-start", "x-stop");
    assertThat(events.get(2))
        .containsEntry("trace_id", yId)
        .containsEntry("parent_id", xId)
        .containsEntry("info", HOST_ONLY);
    assertThat(events.get(4)).containsEntry("trace_id", xId).containsEntry("parent_id", base);
  }

  @Test
  void spanError_isRecordedOnTheStopEvent() {
    String base = Ids.newId();
    try (TraceScope t = Trace.begin(base, null, null)) {
      try (Span s = Trace.span("failing", "annotated")) {
        s.error(new IllegalStateException("broken \"thing\""));
      }
    }
    List<Map<String, Object>> events = Recorded.events(base);
    assertThat(names(events)).containsExactly("failing-start", "failing-stop");
    assertThat(events.get(1).get("info"))
        .isEqualTo(
            Map.of(
                "etype", "IllegalStateException",
                "message", "broken \"thing\"",
                "host", "test-host"));
  }

  @Test
  void noTrace_spansRecordNothing() {
    assertThat(Trace.active()).isFalse();
    Span s = Trace.span("nothing");
    assertThat(s.isRecording()).isFalse();
    assertThat(s.id()).isNull();
    s.info("k", "v").error(new RuntimeException()).close();
    assertThat(TraceHeaders.outgoing()).isEmpty();
  }
}
