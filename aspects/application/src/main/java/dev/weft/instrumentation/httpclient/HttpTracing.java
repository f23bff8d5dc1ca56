package dev.weft.instrumentation.httpclient;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.headers.Outgoing;
import dev.weft.internal.headers.PropagateHosts;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Paths;
import dev.weft.internal.tracing.Queries;
import dev.weft.internal.tracing.Render;
import dev.weft.internal.tracing.Spans;
import dev.weft.spi.TraceCategory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/**
 * The plain-Java side of {@code HttpClientAspect}: a span around a call of the JDK {@link
 * java.net.http.HttpClient} made inside a trace, and the headers that carry the trace to the called
 * service.
 *
 * <p>The span is recorded as OSProfiler's {@code requests} tracing records one: named after the
 * URL's scheme ({@code http} or {@code https}), start info {@code {"requests": {"method", "query",
 * "path", "hostname", "port", "scheme"}}} in that order (the hostname and scheme as urlparse gives
 * them, lower case; the port is the URI's, or 80/443 by scheme; the path as {@code
 * weft.http.path_values} and {@code weft.http.path_templates} say, see {@link Paths}; the query's
 * parameter values are recorded as {@code ?} unless {@code weft.http.query_values=true}; user info
 * is never recorded); stop info {@code {"requests": {"status_code": N}}}, or {@code etype}/{@code
 * message} when the call throws. The request is sent as a copy carrying {@code X-Trace-Info}/{@code
 * X-Trace-HMAC} signed for this span (when a key authorised the trace) and a W3C {@code
 * traceparent}; headers of the same names in the original are replaced. Only destinations allowed
 * by {@code weft.http.propagate_hosts} get these headers; a call elsewhere is traced without them.
 */
final class HttpTracing {
  private static final BiPredicate<String, String> ALL_HEADERS = (n, v) -> true;

  private HttpTracing() {}

  static final InfoShape SHAPE =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("requests");
          w.field("method", r.a);
          w.field("query", r.e);
          w.field("path", r.d);
          w.field("hostname", r.c);
          w.field("port", r.n);
          w.field("scheme", r.b);
          w.endObject();
        }

        @Override
        public void stop(SpanRecord r, JsonWriter w) {
          if (r.status > 0) {
            w.beginObject("requests");
            w.field("status_code", r.status);
            w.endObject();
          }
        }

        @Override
        public String category() {
          return "http";
        }
      };

  /** An asynchronous call in flight: its span (off the thread's stack) and the signed request. */
  static final class Async {
    final HttpRequest request;
    final SpanRecord span;

    Async(HttpRequest request, SpanRecord span) {
      this.request = request;
      this.span = span;
    }
  }

  /** Opens the span for a call, or returns null when the call is not to be traced. */
  static SpanRecord start(HttpRequest request) {
    try {
      if (!Switches.http || request == null) {
        return null;
      }
      ThreadContext c = ThreadContext.active(TraceCategory.HTTP);
      if (c == null) {
        return null;
      }
      URI u = request.uri();
      // The client takes http and https only; the name and the scheme field are lower case, as
      // urlparse gives them to OSProfiler.
      String scheme = "https".equalsIgnoreCase(u.getScheme()) ? "https" : "http";
      SpanRecord r = c.push(scheme, SHAPE);
      if (r == null) {
        return null;
      }
      int port = u.getPort();
      if (port < 0) {
        port = scheme.equals("https") ? 443 : 80;
      }
      String path = u.getRawPath();
      String query = u.getRawQuery();
      r.a = request.method();
      r.b = scheme;
      r.c = Render.bound(hostname(u.getHost()));
      r.n = port;
      r.d = Paths.recorded(path);
      r.e = Queries.recorded(query);
      return r;
    } catch (Throwable e) {
      Spans.failed(e);
      return null;
    }
  }

  /**
   * The host as urlparse's {@code hostname} gives it to OSProfiler: lower case, an IPv6 address
   * without its brackets.
   */
  static String hostname(String host) {
    if (host == null) {
      return null;
    }
    if (host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
      host = host.substring(1, host.length() - 1);
    }
    return host.toLowerCase(java.util.Locale.ROOT);
  }

  /** A copy of {@code request} carrying the trace headers for {@code span}. */
  static HttpRequest sign(HttpRequest request, SpanRecord span) {
    if (span == null) {
      return request;
    }
    try {
      ThreadContext c = ThreadContext.active();
      if (c == null || !PropagateHosts.allows(request.uri().getHost())) {
        return request; // traced, but the signed pair goes only where it belongs
      }
      Map<String, String> h =
          Outgoing.headers(c.baseId(), span.idText(), span.idLo, c.hmacKey, c.categories);
      if (h.isEmpty()) {
        return request;
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(request, ALL_HEADERS);
      for (Map.Entry<String, String> e : h.entrySet()) {
        b.setHeader(e.getKey(), e.getValue());
      }
      return b.build();
    } catch (RuntimeException | LinkageError e) {
      return request;
    }
  }

  /** Ends the span of a call that returned {@code response} or threw; null-safe, never throws. */
  static void end(SpanRecord span, Object response, Throwable thrown) {
    if (span == null) {
      return;
    }
    try {
      if (response instanceof HttpResponse) {
        span.status = ((HttpResponse<?>) response).statusCode();
      }
    } catch (Throwable e) {
      Spans.failed(e); // status unknown
    }
    Spans.end(span, thrown);
  }

  /**
   * Opens the span of an asynchronous call ({@code sendAsync}) and takes it off the thread's stack:
   * it ends when the response future completes. Null when the call is not to be traced.
   */
  static Async startAsync(HttpRequest request) {
    SpanRecord r = start(request);
    if (r == null) {
      return null;
    }
    HttpRequest signed = sign(request, r);
    ThreadContext c = ThreadContext.active();
    SpanRecord detached = c == null ? null : c.detach(r);
    if (detached == null) {
      return null;
    }
    return new Async(signed, detached);
  }

  /**
   * Ends the span when {@code future} completes, or now when {@code sendAsync} itself threw; the
   * caller's future (and its cancellation) is untouched. Null-safe, never throws.
   */
  static void endAsync(Async a, Object future, Throwable thrown) {
    if (a == null) {
      return;
    }
    try {
      if (thrown != null || !(future instanceof CompletableFuture)) {
        if (thrown != null) {
          Spans.error(a.span, thrown);
        }
        ThreadContext.finishDetached(a.span);
        return;
      }
      ((CompletableFuture<?>) future)
          .whenComplete(
              (resp, t) -> {
                if (t != null) {
                  Throwable cause =
                      t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                          ? t.getCause()
                          : t;
                  Spans.error(a.span, cause);
                } else if (resp instanceof HttpResponse) {
                  a.span.status = ((HttpResponse<?>) resp).statusCode();
                }
                ThreadContext.finishDetached(a.span);
              });
    } catch (Throwable e) {
      Spans.failed(e);
    }
  }
}
