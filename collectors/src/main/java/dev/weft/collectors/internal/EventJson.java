package dev.weft.collectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
   * OSProfiler's error-index value, {@code {"base_id": ..., "timestamp": ...}} in Python's json
   * spacing.
   */
  public static String errorIndex(String baseId, String timestamp) {
    return dev.weft.spi.Event.errorIndexJson(baseId, timestamp);
  }
}
