package dev.weft.it.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Weft;
import dev.weft.testing.RecordedSpan;
import dev.weft.testing.WeftTesting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back what Weft stored in {@code memory://}: events, and spans as start/stop pairs. */
final class Spans {
  static final ObjectMapper JSON = new ObjectMapper();

  private Spans() {}

  /** Points Weft at the in-memory collector with tracing on and every storage category on. */
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "it-host");
    Weft.set("weft.service", "it-storage");
    Weft.set("weft.trace.mongodb", "true");
    Weft.set("weft.trace.redis", "true");
    Weft.set("weft.trace.sql", "true");
    Weft.set("weft.trace.pooling", "true");
  }

  static void reset() {
    WeftTesting.clearRecorded();
    Weft.resetRuntimeChanges();
  }

  static void clear() {
    WeftTesting.clearRecorded();
  }

  /** Every stored event's raw JSON, trace by trace. */
  static List<String> rawEvents() {
    try {
      return WeftTesting.recordedEvents();
    } catch (Exception e) {
      throw new AssertionError("cannot read the memory store", e);
    }
  }

  /** The spans of one trace, in the order they finished (weft-testing's reader). */
  static List<RecordedSpan> of(String baseId) {
    Weft.flush();
    try {
      return RecordedSpan.of("memory://", baseId);
    } catch (Exception e) {
      throw new AssertionError("cannot read trace " + baseId, e);
    }
  }

  /** The spans of a trace with the given name. */
  static List<RecordedSpan> named(String baseId, String name) {
    List<RecordedSpan> out = new ArrayList<>();
    for (RecordedSpan s : of(baseId)) {
      if (s.name().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }

  /** {@code {"db": db, "host": "it-host"}}. */
  static Map<String, Object> db(Map<String, Object> db) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("db", db);
    m.put("host", "it-host");
    return m;
  }

  static Map<String, Object> hostOnly() {
    return Map.of("host", "it-host");
  }

  /** An ordered map from key/value pairs. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Whether the external services (PostgreSQL, Redis on 127.0.0.1) are to be used. */
  static boolean services() {
    return "1".equals(System.getenv("WEFT_IT_SERVICES"));
  }

  static final String SERVICES_SKIPPED =
      "WEFT_IT_SERVICES is not 1: the PostgreSQL / Redis 127.0.0.1 parameterisation is skipped";
}
