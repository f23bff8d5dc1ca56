package dev.weft;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.Ids;
import dev.weft.internal.context.ManualShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.headers.OsprofilerHeaders;
import dev.weft.internal.headers.TraceCategories;
import dev.weft.internal.headers.Traceparent;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trace on the current thread: start one, open spans by hand, hand it to another thread.
 *
 * <p>A trace is a base_id shared by every service a request touches; each span has its own id and a
 * parent. Woven code records spans automatically while a trace is active on its thread; this class
 * is for code that starts traces (an entry point, a client) or traces by hand.
 *
 * <pre>{@code
 * try (TraceScope t = Trace.beginClient(hmacKey)) {     // a client run with --profile
 *   System.err.println("Trace ID: " + t.baseId());
 *   try (Span s = Trace.span("sync")) { ... }
 * }
 * }</pre>
 */
public final class Trace {
  /** The most annotations a span keeps; later keys are ignored. */
  public static final int MAX_ANNOTATIONS = 32;

  private static final ConcurrentHashMap<String, ManualShape> SHAPES = new ConcurrentHashMap<>();

  private Trace() {}

  /** Whether a trace is active on this thread. */
  public static boolean active() {
    return ThreadContext.active() != null;
  }

  /** The active trace's base_id, or null. */
  public static String baseId() {
    ThreadContext c = ThreadContext.active();
    return c == null ? null : c.baseId();
  }

  /** The id of the innermost open span (the inherited parent when none is open), or null. */
  public static String currentSpanId() {
    ThreadContext c = ThreadContext.active();
    return c == null ? null : c.currentIdText();
  }

  /**
   * Makes a trace active on this thread, unconditionally (no signature check, no rate limit).
   *
   * @param baseId the trace's base_id
   * @param parentId the parent of this thread's first span; null means the base_id
   * @param hmacKey the key that outgoing requests are signed with; null sends no X-Trace headers
   */
  public static TraceScope begin(String baseId, String parentId, String hmacKey) {
    if (baseId == null) {
      throw new IllegalArgumentException("baseId is required");
    }
    WeftRuntime.ensureStarted();
    return new TraceScope(
        ThreadContext.install(baseId, parentId == null ? baseId : parentId, hmacKey), baseId);
  }

  /**
   * Starts a trace for an incoming request under OSProfiler's trigger rules: only an {@code
   * X-Trace-Info}/{@code X-Trace-HMAC} pair that verifies against {@code weft.hmac_keys} starts a
   * trace (with the caller's base_id and parent_id, read as OSProfiler's WsgiMiddleware reads them:
   * see {@link TraceHeaders#verify}); a W3C {@code traceparent} alone does only when {@code
   * weft.trust_traceparent=true}. {@code weft.max_traces_per_second}, when set, caps the new traces
   * started per second, never a request of a trace this process is already carrying or carried
   * within the last seconds. Returns null when the request is to run untraced; never throws.
   */
  public static TraceScope beginFromHeaders(
      String xTraceInfo, String xTraceHmac, String traceparent) {
    return beginFromHeaders(xTraceInfo, xTraceHmac, traceparent, null, null);
  }

  /**
   * As {@link #beginFromHeaders(String, String, String)}, and the trace asks for the categories of
   * {@code X-Weft-Trace-Categories} for itself when {@code X-Weft-Trace-Categories-HMAC} verifies
   * under the key that verified the X-Trace pair, for that {@code X-Trace-Info} (see {@link
   * TraceHeaders#X_WEFT_TRACE_CATEGORIES}). A category header that does not verify changes nothing.
   * Returns null when the request is to run untraced; never throws.
   */
  public static TraceScope beginFromHeaders(
      String xTraceInfo,
      String xTraceHmac,
      String traceparent,
      String categories,
      String categoriesHmac) {
    try {
      if (!Switches.enabled) {
        return null;
      }
      String base = null;
      String parent = null;
      String key = null;
      int asked = 0;
      if (xTraceInfo != null || xTraceHmac != null) {
        OsprofilerHeaders.Unpacked u =
            OsprofilerHeaders.verify(xTraceInfo, xTraceHmac, WeftRuntime.hmacKeys());
        if (u != null) {
          base = u.baseId();
          parent = u.parentId();
          key = u.hmacKey();
          if (categories != null) {
            asked = TraceCategories.verify(categories, categoriesHmac, xTraceInfo, key);
          }
        }
      }
      if (base == null && traceparent != null && WeftRuntime.config().bool(Key.TRUST_TRACEPARENT)) {
        Traceparent.Parsed p = Traceparent.parse(traceparent);
        if (p != null) {
          base = p.traceIdUuid();
          parent = p.spanIdHex();
        }
      }
      if (base == null) {
        return null;
      }
      dev.weft.internal.RateLimiter.Recent admission = WeftRuntime.admitTrace(base);
      if (admission == null) {
        return null;
      }
      TraceScope scope = begin(base, parent, key);
      ThreadContext c = ThreadContext.forThread();
      c.admission = admission;
      if (asked != 0) {
        c.request(asked);
      }
      return scope;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Starts a client-side root trace, as OpenStack clients do for {@code --profile KEY}: a random
   * base_id whose parent is itself; every outgoing request made in it is signed with {@code
   * hmacKey}.
   */
  public static TraceScope beginClient(String hmacKey) {
    if (hmacKey == null || hmacKey.isEmpty()) {
      throw new IllegalArgumentException("an HMAC key is required to profile");
    }
    String base = Ids.newId();
    return begin(base, base, hmacKey);
  }

  /**
   * As {@link #beginClient(String)}, and the trace asks for {@code categories} ({@code sql}, {@code
   * redis}, {@code mongodb}, ...; any category but {@code servlet}) for itself: they are recorded
   * for this trace, here and in every Weft service its requests reach, even where they are switched
   * off for the process; other requests are not affected. The requests carry {@code
   * X-Weft-Trace-Categories}, signed with {@code hmacKey} (see {@link
   * TraceHeaders#X_WEFT_TRACE_CATEGORIES}). A category switched on for a process stays on.
   *
   * @throws IllegalArgumentException for a name that is not a category a trace can ask for
   */
  public static TraceScope beginClient(String hmacKey, String... categories) {
    int mask = TraceCategories.of(categories);
    TraceScope scope = beginClient(hmacKey);
    if (mask != 0) {
      ThreadContext.forThread().request(mask);
    }
    return scope;
  }

  /**
   * Opens a span named {@code name} in category {@code annotated}; see {@link #span(String,
   * String)}.
   */
  public static Span span(String name) {
    return span(name, "annotated");
  }

  /**
   * Opens a span as a child of the current one. When no trace is active, or the category is
   * switched off, returns a span that records nothing.
   */
  public static Span span(String name, String category) {
    int index = Switches.index(category);
    if (!Switches.on(index)) {
      return Span.NOOP;
    }
    ThreadContext c = ThreadContext.active();
    if (c == null || !c.on(index)) {
      return Span.NOOP;
    }
    SpanRecord r = c.push(name, SHAPES.computeIfAbsent(category, ManualShape::new));
    return r == null ? Span.NOOP : new Span(c, r);
  }

  /**
   * Adds a member to the start info of the innermost open span on this thread (a woven or a hand
   * span), for example the pool an {@code @Traced(category = Category.POOLING)} selector chose:
   *
   * <pre>{@code
   * @Traced(category = Category.POOLING)
   * Pool select(String queue) {
   *   Pool p = catalog.lookup(queue);
   *   Trace.annotate("pool", p.name());
   *   return p;
   * }
   * }</pre>
   *
   * Does nothing when no trace is active or no span is open. Keys and values are bounded by {@code
   * weft.max_value_length}, and a span keeps its first {@link #MAX_ANNOTATIONS} keys. Keys should
   * not clash with the members the span's category writes itself.
   */
  public static void annotate(String key, String value) {
    if (key == null || !Switches.enabled) {
      return;
    }
    ThreadContext c = ThreadContext.active();
    SpanRecord r = c == null ? null : c.top();
    if (r == null) {
      return;
    }
    if (r.annotations == null) {
      r.annotations = new java.util.LinkedHashMap<>(4);
    } else if (r.annotations.size() >= MAX_ANNOTATIONS && !r.annotations.containsKey(key)) {
      return; // bounded: a span keeps its first MAX_ANNOTATIONS keys
    }
    r.annotations.put(
        dev.weft.internal.tracing.Render.bound(key),
        value == null ? null : dev.weft.internal.tracing.Render.bound(value));
  }

  /** Captures the active trace (at its current span) to continue on another thread. */
  public static TraceSnapshot capture() {
    ThreadContext c = ThreadContext.active();
    if (c == null) {
      return TraceSnapshot.EMPTY;
    }
    return new TraceSnapshot(c.baseId(), c.currentIdText(), c.hmacKey, c.service, c.categories);
  }
}
