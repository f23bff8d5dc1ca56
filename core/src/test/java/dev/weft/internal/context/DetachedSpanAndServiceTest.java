package dev.weft.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Profile;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.TraceSnapshot;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans detached from their thread, the per-span service override, and client profiling. */
class DetachedSpanAndServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.service", "process-service");
    Weft.set("weft.host", "h");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void clear() {
    Weft.flush();
    MemoryCollector.clear();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> events() throws Exception {
    Weft.flush();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      out.add(JSON.readValue(e.json(), Map.class));
    }
    return out;
  }

  @Test
  void aDetachedSpanEndsOnAnotherThreadAndLeavesTheStack() throws Exception {
    try (TraceScope t = Trace.begin("base-d", "parent-d", null)) {
      ThreadContext c = ThreadContext.active();
      SpanRecord r = c.push("outer", new ManualShape("annotated"));
      String id = r.idText();
      SpanRecord d = c.detach(r);
      assertThat(d).isNotSameAs(r);
      assertThat(c.depth()).isZero();
      assertThat(c.detach(r)).isNull();
      // the thread's stack slot is reused; the detached copy is not affected
      SpanRecord next = c.push("next", new ManualShape("annotated"));
      ThreadContext.popCurrent(next);
      Thread other = new Thread(() -> ThreadContext.finishDetached(d));
      other.start();
      other.join();
      List<Map<String, Object>> ev = events();
      assertThat(ev.stream().map(e -> e.get("name")))
          .containsExactly("next-start", "next-stop", "outer-start", "outer-stop");
      assertThat(ev.get(2).get("trace_id")).isEqualTo(id);
      assertThat(ev.get(2).get("parent_id")).isEqualTo("parent-d");
      assertThat((String) ev.get(3).get("timestamp"))
          .isGreaterThanOrEqualTo((String) ev.get(1).get("timestamp"));
    }
  }

  @Test
  void aContextsServiceIsStampedOnItsSpansAndTravelsWithASnapshot() throws Exception {
    TraceSnapshot snap;
    try (TraceScope t = Trace.begin("base-s", null, null)) {
      ThreadContext.active().service = "svc-x";
      try (Span s = Trace.span("stamped")) {
        snap = Trace.capture();
      }
    }
    try (TraceScope t = Trace.begin("base-s", null, null)) {
      try (Span s = Trace.span("unstamped")) {
        assertThat(s.isRecording()).isTrue();
      }
    }
    Thread other =
        new Thread(
            () -> {
              try (TraceScope s = snap.restore();
                  Span child = Trace.span("child")) {
                assertThat(child.isRecording()).isTrue();
              }
            });
    other.start();
    other.join();
    List<Map<String, Object>> ev = events();
    assertThat(ev).hasSize(6);
    assertThat(ev.get(0).get("service")).isEqualTo("svc-x");
    assertThat(ev.get(1).get("service")).isEqualTo("svc-x");
    assertThat(ev.get(2).get("service")).isEqualTo("process-service");
    assertThat(ev.get(4).get("name")).isEqualTo("child-start");
    assertThat(ev.get(4).get("service")).isEqualTo("svc-x");
    assertThat(ev.get(4).get("parent_id")).isEqualTo(ev.get(0).get("trace_id"));
    assertThat(ThreadContext.active()).isNull();
  }

  @Test
  void profilePrintsTheTraceIdAndTheCommandOnClose() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String base;
    try (Profile p = Profile.start("key", new PrintStream(out, true, StandardCharsets.UTF_8))) {
      base = p.baseId();
      assertThat(Trace.baseId()).isEqualTo(base);
      assertThat(Trace.currentSpanId()).isEqualTo(base);
      assertThat(out.size()).isZero();
    }
    assertThat(Trace.active()).isFalse();
    String nl = System.lineSeparator();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "Trace ID: "
                + base
                + nl
                + "Display trace with command: weft trace show --html "
                + base
                + nl);
    assertThat(base).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }
}
