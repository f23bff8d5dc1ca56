package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: the process-wide runtime set to {@code memory://}, and its events parsed. */
final class Recorded {
  static final ObjectMapper JSON = new ObjectMapper();

  private Recorded() {}

  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.host", "test-host");
    Weft.set("weft.project", "test-project");
    Weft.set("weft.service", "test-service");
    Weft.set("weft.enabled", "true");
    Weft.init();
  }

  static void reset() {
    Weft.flush();
    Weft.resetRuntimeChanges();
  }

  /** Every stored event of one trace, parsed, in storage order. */
  static List<Map<String, Object>> events(String baseId) {
    assertThat(Weft.flush()).isTrue();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (e.baseId().equals(baseId)) {
        try {
          out.add(JSON.readValue(e.json(), new TypeReference<Map<String, Object>>() {}));
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }
    }
    return out;
  }

  /** The expected event, timestamp taken from the actual one (it is checked separately). */
  static Map<String, Object> event(
      String name,
      String baseId,
      String traceId,
      String parentId,
      Object timestamp,
      Map<String, Object> info) {
    Map<String, Object> e = new java.util.LinkedHashMap<>();
    e.put("name", name);
    e.put("base_id", baseId);
    e.put("trace_id", traceId);
    e.put("parent_id", parentId);
    e.put("timestamp", timestamp);
    e.put("info", info);
    e.put("project", "test-project");
    e.put("service", "test-service");
    return e;
  }

  static final Map<String, Object> HOST_ONLY = Map.of("host", "test-host");
}
