package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sample.Meter;

/**
 * Methods returning long, int and boolean go through the unboxed advice: same spans, same values.
 */
class PrimitiveResultTest {
  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "test-host");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  void primitiveResultsAreTracedAndReturnedUnchanged() throws Exception {
    Weft.flush();
    MemoryCollector.clear();
    Meter m = new Meter();
    IllegalArgumentException thrown;
    IllegalArgumentException[] seen = new IllegalArgumentException[1];
    try (TraceScope t = Trace.begin("base-prim", null, null)) {
      assertThat(m.add(5)).isEqualTo(5L);
      assertThat(m.add(300)).isEqualTo(305L);
      assertThat(m.half(9)).isEqualTo(4);
      assertThat(m.over(3)).isTrue();
      thrown =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                try {
                  m.over(-1);
                } catch (IllegalArgumentException e) {
                  seen[0] = e;
                  throw e;
                }
              });
      assertThat(m.reported()).isEqualTo(305L);
    }
    assertSame(seen[0], thrown);
    assertThat(thrown.getMessage()).isEqualTo("negative limit");

    List<Map<String, Object>> ev = TracedAspectTest.events("base-prim");
    assertThat(ev.stream().map(e -> (String) e.get("name")).collect(Collectors.toList()))
        .containsExactly(
            "Meter.add-start",
            "Meter.add-stop",
            "Meter.add-start",
            "Meter.add-stop",
            "Meter.half-start",
            "Meter.half-stop",
            "Meter.over-start",
            "Meter.over-stop",
            "Meter.over-start",
            "Meter.over-stop",
            "Meter.reported-start",
            "Meter.reported-stop");
    for (Map<String, Object> e : ev) {
      assertThat(e.get("parent_id")).isEqualTo("base-prim");
    }
    assertThat(ev.get(0).get("info"))
        .isEqualTo(Map.of("function", Map.of("name", "sample.Meter.add"), "host", "test-host"));
    assertThat(ev.get(1).get("info")).isEqualTo(Map.of("host", "test-host"));
    assertThat(ev.get(9).get("info"))
        .isEqualTo(
            Map.of(
                "etype",
                "IllegalArgumentException",
                "message",
                "negative limit",
                "host",
                "test-host"));
    assertThat(ev.get(11).get("info"))
        .isEqualTo(Map.of("function", Map.of("result", "305"), "host", "test-host"));
  }
}
