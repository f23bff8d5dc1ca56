package dev.weft.collectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reading stored events back: parsing, their timestamp, ordering. */
public final class EventJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private EventJson() {}

  /** The parsed event, or null when the text is not a JSON object. */
  public static JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode n = MAPPER.readTree(json);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** A member of the event as text, or null. */
  public static String text(JsonNode event, String field) {
    JsonNode v = event == null ? null : event.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The event's {@code timestamp}, or null. */
  public static String timestamp(String json) {
    return text(parse(json), "timestamp");
  }

  /**
   * Sorts event texts oldest first by their timestamp text ({@code %Y-%m-%dT%H:%M:%S.%f} sorts as
   * text); the sort is stable, so events with equal timestamps keep their order. Events without a
   * timestamp go last.
   */
  public static List<String> sortByTimestamp(List<String> events) {
    List<String[]> keyed = new ArrayList<>(events.size());
    for (String e : events) {
      keyed.add(new String[] {timestamp(e), e});
    }
    keyed.sort(Comparator.comparing(k -> k[0], Comparator.nullsLast(Comparator.naturalOrder())));
    List<String> out = new ArrayList<>(keyed.size());
    for (String[] k : keyed) {
      out.add(k[1]);
    }
    return out;
  }

  /**
   * OSProfiler's error-index value, {@code {"base_id": ..., "timestamp": ...}} in Python's json
   * spacing.
   */
  public static String errorIndex(String baseId, String timestamp) {
    return dev.weft.spi.Event.errorIndexJson(baseId, timestamp);
  }
}
