package dev.weft.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.spi.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses stored event JSON into insertion-ordered maps (integers as {@code Long}), the form {@link
 * dev.weft.report.ReportBuilder} takes. Events that are not JSON objects, are nested more than
 * {@link #MAX_NESTING} levels deep, or whose {@code timestamp} cannot be read, are skipped and
 * counted.
 *
 * <p>What is read of one trace is bounded: events are read in stored order (oldest first) until
 * their text would pass {@link Limits#maxBytes()} bytes of UTF-8, and only the events of the first
 * {@link Limits#maxSpans()} spans (trace_ids) are kept; the result counts what was left out.
 */
public final class EventParser {
  /** The deepest nesting of objects and arrays in one readable event. */
  public static final int MAX_NESTING = 64;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .build())
          .enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /**
   * The parsed events and what was not kept: {@code skipped} unreadable events; {@code
   * spansLeftOut} spans past the span limit; {@code eventsNotRead} events past the byte limit, and
   * {@code bytesRead} bytes read before it.
   */
  public record Parsed(
      List<Map<String, Object>> events,
      int skipped,
      int spansLeftOut,
      int eventsNotRead,
      long bytesRead) {}

  private EventParser() {}

  public static Parsed parse(List<String> rawEvents, Limits limits) {
    List<Map<String, Object>> out = new ArrayList<>(Math.min(rawEvents.size(), 1 << 16));
    Set<String> spans = new HashSet<>();
    Set<String> leftOut = new HashSet<>();
    int skipped = 0;
    int notRead = 0;
    long bytes = 0;
    int i = 0;
    for (String raw : rawEvents) {
      long n = utf8Length(raw);
      if (bytes + n > limits.maxBytes()) {
        notRead = rawEvents.size() - i;
        break;
      }
      bytes += n;
      i++;
      Map<String, Object> event = parseOne(raw);
      if (event == null) {
        skipped++;
        continue;
      }
      String span = spanOf(event);
      if (span != null && !spans.contains(span)) {
        if (spans.size() >= limits.maxSpans()) {
          leftOut.add(span);
          continue;
        }
        spans.add(span);
      }
      out.add(event);
    }
    return new Parsed(out, skipped, leftOut.size(), notRead, bytes);
  }

  /**
   * The trace_id of an event that {@link dev.weft.report.ReportBuilder} makes part of a span (one
   * with a string name and timestamp and a trace_id), as the report spells it; else null.
   */
  static String spanOf(Map<String, Object> event) {
    Object id = event.get("trace_id");
    return event.get("name") instanceof String
            && event.get("timestamp") instanceof String
            && id != null
        ? String.valueOf(id)
        : null;
  }

  static long utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
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
