package dev.weft.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.spi.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses stored event JSON into insertion-ordered maps (integers as {@code Long}), the form {@link
 * dev.weft.report.ReportBuilder} takes. Events that are not JSON objects, or whose {@code
 * timestamp} cannot be read, are skipped and counted.
 */
public final class EventParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** The parsed events and the number of stored events that could not be read. */
  public record Parsed(List<Map<String, Object>> events, int skipped) {}

  private EventParser() {}

  public static Parsed parse(List<String> rawEvents) {
    List<Map<String, Object>> out = new ArrayList<>(rawEvents.size());
    int skipped = 0;
    for (String raw : rawEvents) {
      Map<String, Object> event = parseOne(raw);
      if (event == null) {
        skipped++;
      } else {
        out.add(event);
      }
    }
    return new Parsed(out, skipped);
  }

  static Map<String, Object> parseOne(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Map<String, Object> event;
    try {
      event = MAPPER.readValue(raw, MAP);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (event == null
        || !(event.get("timestamp") instanceof String ts)
        || parsesAsTime(ts) == Long.MIN_VALUE) {
      return null;
    }
    return event;
  }

  /** Epoch microseconds of an OSProfiler timestamp, or {@code Long.MIN_VALUE} when unreadable. */
  static long parsesAsTime(String ts) {
    try {
      return Event.parseTimestamp(ts);
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }
}
