package dev.weft;

import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.headers.OsprofilerHeaders;
import dev.weft.internal.headers.Outgoing;
import dev.weft.internal.headers.TraceCategories;
import java.util.List;
import java.util.Map;

/**
 * OSProfiler's trace headers, for HTTP clients that Weft does not weave.
 *
 * <pre>{@code
 * TraceHeaders.outgoing().forEach(request::setHeader);   // X-Trace-Info, X-Trace-HMAC, traceparent
 * }</pre>
 */
public final class TraceHeaders {
  public static final String X_TRACE_INFO = Outgoing.X_TRACE_INFO;
  public static final String X_TRACE_HMAC = Outgoing.X_TRACE_HMAC;
  public static final String TRACEPARENT = Outgoing.TRACEPARENT;

  /**
   * The categories a trace asks for itself, beside OSProfiler's pair: comma-separated names ({@code
   * sql,redis}; any category but {@code servlet}), recorded for this trace in every Weft service it
   * reaches even where they are switched off for the process. Read only with {@link
   * #X_WEFT_TRACE_CATEGORIES_HMAC}: the lowercase hex HMAC-SHA1, under the key that signed {@code
   * X-Trace-HMAC}, of the categories value, a line feed and the {@code X-Trace-Info} value, as
   * sent. OSProfiler ignores both headers.
   */
  public static final String X_WEFT_TRACE_CATEGORIES = TraceCategories.HEADER;

  /** The MAC of {@link #X_WEFT_TRACE_CATEGORIES}, bound to the request's {@code X-Trace-Info}. */
  public static final String X_WEFT_TRACE_CATEGORIES_HMAC = TraceCategories.HMAC_HEADER;

  private TraceHeaders() {}

  /**
   * The headers for a call to {@code destination}: {@link #outgoing()} when {@code
   * weft.http.propagate_hosts} lets its host receive them, else none (whoever receives the signed
   * pair can replay it).
   */
  public static Map<String, String> outgoing(java.net.URI destination) {
    if (destination == null
        || !dev.weft.internal.headers.PropagateHosts.allows(destination.getHost())) {
      return Map.of();
    }
    return outgoing();
  }

  /**
   * The headers that carry the active trace to another service, with the current span as the
   * parent: the signed X-Trace pair (when a key authorised the trace), the categories the trace
   * asked for itself with their MAC ({@link #X_WEFT_TRACE_CATEGORIES}, when it asked for any and a
   * key authorised it) and a W3C {@code traceparent}. Empty when no trace is active. Prefer {@link
   * #outgoing(java.net.URI)}, which applies {@code weft.http.propagate_hosts}; this one is for a
   * destination you know.
   */
  public static Map<String, String> outgoing() {
    ThreadContext c = ThreadContext.active();
    if (c == null) {
      return Map.of();
    }
    SpanRecord top = c.top();
    if (top != null) {
      return Outgoing.headers(c.baseId(), top.idText(), top.idLo, c.hmacKey, c.categories);
    }
    return Outgoing.headers(
        c.baseId(), c.parentText, Outgoing.lowBits(c.parentText), c.hmacKey, c.categories);
  }

  /** Signs ids as OSProfiler does: {X-Trace-Info, X-Trace-HMAC}, byte-identical to its values. */
  public static Map<String, String> sign(String baseId, String parentId, String hmacKey) {
    String info = OsprofilerHeaders.info(baseId, parentId);
    return Map.of(X_TRACE_INFO, info, X_TRACE_HMAC, OsprofilerHeaders.hmac(info, hmacKey));
  }

  /**
   * Signs ids as {@link #sign(String, String, String)} does, and the categories the trace asks for
   * itself: {X-Trace-Info, X-Trace-HMAC, X-Weft-Trace-Categories, X-Weft-Trace-Categories-HMAC}
   * (only the first two when {@code categories} is empty).
   *
   * @throws IllegalArgumentException for a name that is not a category a trace can ask for
   */
  public static Map<String, String> sign(
      String baseId, String parentId, String hmacKey, String... categories) {
    int mask = TraceCategories.of(categories);
    String info = OsprofilerHeaders.info(baseId, parentId);
    Map<String, String> h = new java.util.LinkedHashMap<>(8);
    h.put(X_TRACE_INFO, info);
    h.put(X_TRACE_HMAC, OsprofilerHeaders.hmac(info, hmacKey));
    if (mask != 0) {
      String names = TraceCategories.names(mask);
      h.put(X_WEFT_TRACE_CATEGORIES, names);
      h.put(X_WEFT_TRACE_CATEGORIES_HMAC, TraceCategories.sign(names, info, hmacKey));
    }
    return java.util.Collections.unmodifiableMap(h);
  }

  /**
   * Verified trace ids from a header pair. {@code parentId} is null when none (or an empty one) was
   * sent: the parent is then the base_id.
   */
  public record Verified(String baseId, String parentId, String hmacKey) {}

  /**
   * Verifies a header pair against the keys exactly as OSProfiler's {@code WsgiMiddleware} decides
   * whether to trace a request; null when it would not. As OSProfiler does, a signed pair whose
   * base_id is empty (or null) verifies with a new random base_id, and an id that is not a JSON
   * string is taken as the text {@code json.dumps} writes for it. A header repeated in a request is
   * passed as its values joined with {@code ","}, as WSGI servers pass it. Never throws.
   */
  public static Verified verify(String xTraceInfo, String xTraceHmac, List<String> keys) {
    OsprofilerHeaders.Unpacked u = OsprofilerHeaders.verify(xTraceInfo, xTraceHmac, keys);
    return u == null ? null : new Verified(u.baseId(), u.parentId(), u.hmacKey());
  }
}
