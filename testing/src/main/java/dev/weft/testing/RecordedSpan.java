package dev.weft.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Weft;
import dev.weft.spi.TraceReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored span as its two events, for exact assertions on what was recorded: {@code
 * assertThat(span.info()).isEqualTo(Map.of("db", Map.of(...), "host", "h"))}. Read with {@link
 * #of}, in the order the spans finished (the order a collector stores them).
 */
public final class RecordedSpan {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Map<String, Object> start;
  private Map<String, Object> stop;

  private RecordedSpan(Map<String, Object> start) {
    this.start = start;
  }

  /**
   * The spans of one trace in a store, in the order they finished; waits for nothing (call {@code
   * Weft.flush()} first for this JVM's spans).
   *
   * @throws AssertionError for an event that is not JSON, or a stop event without its start
   */
  public static List<RecordedSpan> of(String connectionString, String baseId) throws Exception {
    try (TraceReader r = Weft.reader(connectionString)) {
      return of(r.events(baseId));
    }
  }

  /** The spans of a trace's events (JSON texts, in stored order), in the order they finished. */
  public static List<RecordedSpan> of(List<String> events) {
    Map<String, RecordedSpan> byId = new LinkedHashMap<>();
    List<RecordedSpan> finished = new ArrayList<>();
    for (String json : events) {
      Map<String, Object> m;
      try {
        m = JSON.readValue(json, MAP);
      } catch (Exception e) {
        throw new AssertionError("stored event is not JSON: " + json, e);
      }
      String name = (String) m.get("name");
      String id = (String) m.get("trace_id");
      if (name.endsWith("-start")) {
        byId.put(id, new RecordedSpan(m));
      } else {
        RecordedSpan s = byId.get(id);
        if (s == null) {
          throw new AssertionError("stop event without start: " + json);
        }
        s.stop = m;
        finished.add(s);
      }
    }
    return finished;
  }

  /** The start event, as stored. */
  public Map<String, Object> start() {
    return start;
  }

  /** The stop event, as stored. */
  public Map<String, Object> stop() {
    return stop;
  }

  public String name() {
    String n = (String) start.get("name");
    return n.substring(0, n.length() - "-start".length());
  }

  public String id() {
    return (String) start.get("trace_id");
  }

  public String parent() {
    return (String) start.get("parent_id");
  }

  /** The start event's {@code info}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> info() {
    return (Map<String, Object>) start.get("info");
  }

  /** The stop event's {@code info}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> stopInfo() {
    return (Map<String, Object>) stop.get("info");
  }

  @Override
  public String toString() {
    return name() + " " + info() + " -> " + stopInfo();
  }
}
