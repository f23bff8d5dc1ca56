package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recorded strings are bounded by weft.max_value_length, and a span keeps 32 annotations. */
class BoundsTest {
  @BeforeAll
  static void on() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  void annotationsAreBoundedInLengthAndNumber() {
    Weft.flush();
    MemoryCollector.clear();
    try (TraceScope t = Trace.begin("base-bounds", null, null)) {
      try (Span s = Trace.span("bounded")) {
        Trace.annotate("big", "v".repeat(10_000));
        for (int i = 0; i < 40; i++) {
          Trace.annotate("k" + i, "x");
        }
      }
    }
    Weft.flush();
    List<Event> events =
        MemoryCollector.events().stream().filter(e -> e.baseId().equals("base-bounds")).toList();
    String start = events.get(0).json(); // annotations are start info
    assertThat(start).contains("\"big\": \"" + "v".repeat(256) + "...\"");
    assertThat(start).contains("\"k30\": \"x\"").doesNotContain("\"k31\"");
    assertThat(start).doesNotContain("v".repeat(257));
  }

  @Test
  void exceptionMessagesAreBounded() {
    SpanRecord r = new SpanRecord();
    r.error(new IllegalStateException("m".repeat(10_000)));
    assertThat(r.message).isEqualTo("m".repeat(256) + "...");
    assertThat(r.etype).isEqualTo("IllegalStateException");
  }
}
