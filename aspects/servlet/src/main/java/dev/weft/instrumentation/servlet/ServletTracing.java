package dev.weft.instrumentation.servlet;

import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.Ids;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Paths;
import dev.weft.internal.tracing.Queries;
import dev.weft.internal.tracing.Spans;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The plain-Java side of {@code ServletAspect}: the servlet entry span and OSProfiler's trigger
 * rules for an incoming request.
 *
 * <p>One span per request, named {@code wsgi} as OSProfiler's {@code WsgiMiddleware} names its
 * entry span, so that OSProfiler's own tools treat a Java entry like a WSGI one (its DOT view
 * labels a {@code wsgi} node with the request's method and path, its HTML view highlights it); the
 * category stays {@code servlet} ({@code weft.trace.servlet}). One span however many servlet join
 * points the request passes (filters around {@code HttpServlet.service}, {@code do*} methods inside
 * it, forwards, includes, async and error dispatches): the first join point marks the request with
 * the attribute {@link #MARKER}, and every later one sees the mark and only proceeds. The first
 * join point applies the trigger rules ({@link Trace#beginFromHeaders}); a request that does not
 * start a trace is marked too, so that it is judged (and rate-limited) once.
 *
 * <p>Start info is OSProfiler's wsgi shape, {@code {"request": {"path", "query", "method",
 * "scheme"}}}: the path (the request URI) with ids and secrets as {@code ?} as {@code
 * weft.http.path_values} says (see {@link Paths}), the query with its parameter values as {@code ?}
 * unless {@code weft.http.query_values=true} (see {@link Queries}); stop info is {@code
 * {"response": {"status": N}}}, or {@code etype}/{@code message} when the servlet throws (the
 * exception is rethrown unchanged by the aspect). A request that starts async processing keeps its
 * span open until the async cycle completes.
 *
 * <p>The thread's trace context is replaced when a request starts and cleared when it ends, so a
 * pooled container thread never carries one request's trace into the next.
 *
 * <p>The service name stamped on the request's spans is the servlet context's init parameter
 * {@value #SERVICE_PARAM} when set (several applications in one JVM), else {@code weft.service}.
 *
 * <p>A request whose {@code X-Weft-Trace-Categories} header verifies ({@link
 * Trace#beginFromHeaders(String, String, String, String, String)}) is traced with those categories
 * on for itself: they are held from its first join point until that join point returns or throws,
 * and again for each async dispatch it resumes on.
 */
final class ServletTracing {
  /** Request attribute marking a request that has passed its first servlet join point. */
  public static final String MARKER = "dev.weft.servlet.entry";

  /** Servlet context init parameter naming the service of that context's spans. */
  public static final String SERVICE_PARAM = "weft.service";

  public static final String X_TRACE_INFO = "X-Trace-Info";
  public static final String X_TRACE_HMAC = "X-Trace-HMAC";
  public static final String TRACEPARENT = "traceparent";
  public static final String X_WEFT_TRACE_CATEGORIES = TraceHeaders.X_WEFT_TRACE_CATEGORIES;
  public static final String X_WEFT_TRACE_CATEGORIES_HMAC =
      TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC;

  /** The entry span's name: OSProfiler's, {@code wsgi}. */
  static final String SPAN_NAME = "wsgi";

  /** The marker of a request that runs untraced. */
  static final Object UNTRACED = new Object();

  private ServletTracing() {}

  static final InfoShape SHAPE =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("request");
          w.field("path", r.a);
          w.field("query", r.b);
          w.field("method", r.c);
          w.field("scheme", r.d);
          w.endObject();
        }

        @Override
        public void stop(SpanRecord r, JsonWriter w) {
          if (r.status > 0) {
            w.beginObject("response");
            w.field("status", r.status);
            w.endObject();
          }
        }

        @Override
        public String category() {
          return "servlet";
        }
      };

  /** A traced request: its span and what is needed to end it or to resume its trace. */
  static final class Entry implements AsyncListener {
    HttpServletResponse response;
    final String baseId;
    final String hmacKey;
    final String service;
    final int categories;
    final long idHi;
    final long idLo;

    /** The hold on the categories the request asked for, given back when its first join ends. */
    final Switches.Hold hold;

    /** The span while it is on the first thread's stack; cleared when that join point returns. */
    SpanRecord open;

    /** The span once it waits for an async cycle to complete. */
    SpanRecord detached;

    private boolean finished;

    Entry(ThreadContext c, SpanRecord r) {
      this.baseId = c.baseId();
      this.hmacKey = c.hmacKey;
      this.service = c.service;
      this.categories = c.categories;
      this.hold = c.hold();
      this.idHi = r.idHi;
      this.idLo = r.idLo;
      this.open = r;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finishAsync(null);
    }

    @Override
    public void onError(AsyncEvent event) {
      Throwable t = event.getThrowable();
      synchronized (this) {
        if (detached != null && t != null && detached.etype == null) {
          Spans.error(detached, t);
        }
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new async cycle drops the listeners: stay registered until the last one completes.
      AsyncContext ac = event.getAsyncContext();
      if (ac != null) {
        ac.addListener(this);
      }
    }

    void finishAsync(Throwable t) {
      SpanRecord r;
      synchronized (this) {
        if (finished || detached == null) {
          return;
        }
        finished = true;
        r = detached;
        if (t != null && r.etype == null) {
          Spans.error(r, t);
        }
        if (r.etype == null) {
          r.status = status(response);
        }
      }
      ThreadContext.finishDetached(r);
    }
  }

  /** A later dispatch of a traced request on a thread without a trace: resumed for its duration. */
  static final class Resumed {
    final TraceScope scope;

    Resumed(TraceScope scope) {
      this.scope = scope;
    }
  }

  /**
   * Called at every servlet join point before the servlet runs. Returns null when this join point
   * only proceeds (a nested one, or on any failure); otherwise a token for {@link #exit}.
   */
  static Object enter(HttpServletRequest req) {
    try {
      Object mark = req.getAttribute(MARKER);
      if (mark != null) {
        return mark instanceof Entry ? resume((Entry) mark, req) : null;
      }
      return begin(req);
    } catch (Throwable e) {
      Spans.failed("servlet", e);
      return null;
    }
  }

  private static Object begin(HttpServletRequest req) {
    ThreadContext stale = ThreadContext.active();
    if (stale != null) {
      stale.end(); // a request starts clean, whatever an earlier one left on this thread
    }
    TraceScope scope =
        Trace.beginFromHeaders(
            header(req, X_TRACE_INFO),
            header(req, X_TRACE_HMAC),
            req.getHeader(TRACEPARENT),
            header(req, X_WEFT_TRACE_CATEGORIES),
            header(req, X_WEFT_TRACE_CATEGORIES_HMAC));
    if (scope == null) {
      req.setAttribute(MARKER, UNTRACED);
      return UNTRACED;
    }
    ThreadContext c = ThreadContext.active();
    c.service = service(req);
    SpanRecord r = c.push(SPAN_NAME, SHAPE);
    if (r == null) {
      c.end();
      req.setAttribute(MARKER, UNTRACED);
      return UNTRACED;
    }
    r.a = Paths.recorded(req.getRequestURI());
    r.b = Queries.recorded(req.getQueryString());
    r.c = req.getMethod();
    r.d = req.getScheme();
    Entry e = new Entry(c, r);
    req.setAttribute(MARKER, e);
    return e;
  }

  /**
   * A request header as a WSGI server hands it to OSProfiler's middleware: a header sent more than
   * once is its values joined with {@code ","} (so a repeated X-Trace pair no longer verifies, as
   * in OSProfiler), not only its first value. Joining stops past the header length cap.
   */
  static String header(HttpServletRequest req, String name) {
    String first = req.getHeader(name);
    if (first == null) {
      return null;
    }
    java.util.Enumeration<String> all = req.getHeaders(name);
    if (all == null || !all.hasMoreElements()) {
      return first;
    }
    String one = all.nextElement();
    if (!all.hasMoreElements()) {
      return one;
    }
    StringBuilder b = new StringBuilder(one);
    while (all.hasMoreElements()
        && b.length() <= dev.weft.internal.headers.OsprofilerHeaders.MAX_HEADER_LENGTH) {
      b.append(',').append(all.nextElement());
    }
    return b.toString();
  }

  private static String service(HttpServletRequest req) {
    ServletContext sc = req.getServletContext();
    String s = sc == null ? null : sc.getInitParameter(SERVICE_PARAM);
    return s == null || s.isEmpty() ? null : s;
  }

  private static Object resume(Entry e, HttpServletRequest req) {
    if (e.detached == null
        || req.getDispatcherType() != DispatcherType.ASYNC
        || ThreadContext.active() != null) {
      return null;
    }
    TraceScope scope = Trace.begin(e.baseId, Ids.format(e.idHi, e.idLo), e.hmacKey);
    ThreadContext c = ThreadContext.forThread();
    c.service = e.service;
    if (e.categories != 0) {
      c.request(e.categories);
    }
    return new Resumed(scope);
  }

  /**
   * Called when the join point that {@link #enter} returned a token for has returned or thrown.
   * Ends the span (or leaves it to the async listener) and clears the thread's trace context.
   */
  static void exit(
      Object token, HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
    if (token == null) {
      return;
    }
    try {
      if (token instanceof Entry) {
        end((Entry) token, req, resp, thrown);
      }
    } catch (Throwable e) {
      Spans.failed(
          "servlet", e); // Weft's own failure: the span is lost, the request is not affected
    }
    try {
      if (token instanceof Resumed) {
        ((Resumed) token).scope.close();
      }
      ThreadContext c = ThreadContext.active();
      if (c != null && !(token instanceof Resumed)) {
        c.end();
      }
    } catch (Throwable e) {
      Spans.failed("servlet", e);
    } finally {
      if (token instanceof Entry && ((Entry) token).hold != null) {
        ((Entry) token).hold.release(); // even when the application left another trace here
      }
    }
  }

  private static void end(Entry e, HttpServletRequest req, HttpServletResponse resp, Throwable t) {
    SpanRecord r = e.open;
    e.open = null;
    e.response = resp;
    if (t == null && req.isAsyncStarted()) {
      ThreadContext c = ThreadContext.forThread();
      SpanRecord d = c.detach(r);
      if (d != null) {
        synchronized (e) {
          e.detached = d;
        }
        try {
          req.getAsyncContext().addListener(e);
        } catch (RuntimeException x) {
          e.finishAsync(null); // the cycle is over already: end the span now
        }
      }
      return;
    }
    if (t == null) {
      r.status = status(resp);
    }
    Spans.end(r, t);
  }

  static int status(HttpServletResponse resp) {
    try {
      return resp.getStatus();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
