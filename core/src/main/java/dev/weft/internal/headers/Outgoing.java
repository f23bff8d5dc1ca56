package dev.weft.internal.headers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the headers an outgoing request carries for one span of a trace. */
public final class Outgoing {
  public static final String X_TRACE_INFO = "X-Trace-Info";
  public static final String X_TRACE_HMAC = "X-Trace-HMAC";
  public static final String TRACEPARENT = "traceparent";

  private Outgoing() {}

  /**
   * The X-Trace pair (only when a key authorised the trace) signed for {@code spanId}, plus a W3C
   * {@code traceparent} (only when the base_id is a UUID).
   */
  public static Map<String, String> headers(
      String baseId, String spanId, long spanLo, String hmacKey) {
    return headers(baseId, spanId, spanLo, hmacKey, 0);
  }

  /**
   * As {@link #headers(String, String, long, String)}, and, when the trace asked for {@code
   * categories} ({@code 1 << ordinal} bits) and a key authorised it, {@code
   * X-Weft-Trace-Categories} with its MAC, signed for the new {@code X-Trace-Info} ({@link
   * TraceCategories}).
   */
  public static Map<String, String> headers(
      String baseId, String spanId, long spanLo, String hmacKey, int categories) {
    Map<String, String> h = new LinkedHashMap<>(8);
    if (hmacKey != null) {
      String info = OsprofilerHeaders.info(baseId, spanId);
      h.put(X_TRACE_INFO, info);
      h.put(X_TRACE_HMAC, OsprofilerHeaders.hmac(info, hmacKey));
      if (categories != 0) {
        String names = TraceCategories.names(categories);
        h.put(TraceCategories.HEADER, names);
        h.put(TraceCategories.HMAC_HEADER, TraceCategories.sign(names, info, hmacKey));
      }
    }
    String tp = Traceparent.format(baseId, spanLo);
    if (tp != null) {
      h.put(TRACEPARENT, tp);
    }
    return h;
  }

  /** The low 64 bits of a span id given as text (a UUID); a hash of any other text. */
  public static long lowBits(String id) {
    String hex = Traceparent.uuidHex(id);
    if (hex != null) {
      return Long.parseUnsignedLong(hex.substring(16), 16);
    }
    long h = 1125899906842597L;
    for (int i = 0; i < id.length(); i++) {
      h = 31 * h + id.charAt(i);
    }
    return h == 0 ? 1 : h;
  }
}
