package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sample.Catalog;

class TracedAspectTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.service", "sample-service");
    Weft.set("weft.host", "test-host");
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
  static List<Map<String, Object>> events(String baseId) throws Exception {
    Weft.flush();
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (e.baseId().equals(baseId)) {
        out.add(JSON.readValue(e.json(), Map.class));
      }
    }
    return out;
  }

  @Test
  void nestedCallsFormTheRightTree() throws Exception {
    Catalog c = new Catalog();
    String base;
    try (TraceScope t = Trace.begin("base-1", "parent-0", "key")) {
      base = t.baseId();
      assertThat(c.lookup("q1")).isEqualTo("pool-0:v-q1");
      assertThat(c.size()).isEqualTo(1);
    }
    List<Map<String, Object>> ev = events(base);
    List<String> names = ev.stream().map(e -> (String) e.get("name")).collect(Collectors.toList());
    // Spans finish innermost first; each span's start event directly precedes its stop event.
    assertThat(names)
        .containsExactly(
            "catalog_select-start",
            "catalog_select-stop",
            "Store.get-start",
            "Store.get-stop",
            "Catalog.lookup-start",
            "Catalog.lookup-stop");
    Map<String, Object> lookup = ev.get(4);
    Map<String, Object> select = ev.get(0);
    Map<String, Object> get = ev.get(2);
    assertThat(lookup.get("parent_id")).isEqualTo("parent-0");
    assertThat(select.get("parent_id")).isEqualTo(lookup.get("trace_id"));
    assertThat(get.get("parent_id")).isEqualTo(lookup.get("trace_id"));
    assertThat(lookup.get("base_id")).isEqualTo("base-1");
    assertThat(lookup.get("info"))
        .isEqualTo(
            Map.of("function", Map.of("name", "sample.Catalog.lookup"), "host", "test-host"));
    assertThat(get.get("info"))
        .isEqualTo(
            Map.of(
                "function",
                Map.of("name", "sample.Catalog$Store.get", "args", "[q1]"),
                "host",
                "test-host"));
    assertThat(ev.get(3).get("info"))
        .isEqualTo(Map.of("function", Map.of("result", "v-q1"), "host", "test-host"));
    assertThat(lookup.get("service")).isEqualTo("sample-service");
    assertThat(lookup.get("project")).isEqualTo("weft");
  }

  @Test
  void exceptionIsRecordedAndRethrownUnchanged() throws Exception {
    Catalog c = new Catalog();
    java.io.IOException thrown;
    try (TraceScope t = Trace.begin("base-2", null, null)) {
      thrown =
          (java.io.IOException)
              org.junit.jupiter.api.Assertions.assertThrows(
                  java.io.IOException.class, () -> c.fail("disk full"));
    }
    assertThat(thrown.getMessage()).isEqualTo("disk full");
    List<Map<String, Object>> ev = events("base-2");
    assertThat(ev).hasSize(2);
    assertThat(ev.get(0).get("parent_id")).isEqualTo("base-2");
    assertThat(ev.get(1).get("info"))
        .isEqualTo(Map.of("etype", "IOException", "message", "disk full", "host", "test-host"));
  }

  @Test
  void nothingIsRecordedOutsideATrace() throws Exception {
    new Catalog().lookup("q");
    Weft.flush();
    assertThat(MemoryCollector.events()).isEmpty();
  }
}
