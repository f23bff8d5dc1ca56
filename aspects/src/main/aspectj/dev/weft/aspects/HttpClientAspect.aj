package dev.weft.aspects;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.HttpTracing;
import dev.weft.internal.tracing.Rethrow;
import java.net.http.HttpRequest;

/**
 * Outgoing HTTP through the JDK {@code java.net.http.HttpClient} (category {@code http}). The JDK
 * cannot be woven, so the join points are the call sites in woven (compile-time or load-time) code.
 * Inside a trace, the call gets an {@code http} span and is sent as a copy of the request carrying
 * the trace headers for that span; see {@link HttpTracing}.
 */
public aspect HttpClientAspect {

  /** {@code HttpClient.send(HttpRequest, BodyHandler)} call sites. */
  public pointcut send(HttpRequest request):
      call(* java.net.http.HttpClient+.send(HttpRequest, ..)) && args(request, ..);

  /** {@code HttpClient.sendAsync(HttpRequest, BodyHandler[, PushPromiseHandler])} call sites. */
  public pointcut sendAsync(HttpRequest request):
      call(* java.net.http.HttpClient+.sendAsync(HttpRequest, ..)) && args(request, ..);

  Object around(HttpRequest request):
      send(request) && WeftPointcuts.notWithinWeft() && if(Switches.http) {
    SpanRecord s = HttpTracing.start(request);
    if (s == null) {
      return proceed(request);
    }
    Object response;
    try {
      response = proceed(HttpTracing.sign(request, s));
    } catch (Throwable t) {
      HttpTracing.error(s, t);
      HttpTracing.stop(s);
      throw Rethrow.as(t);
    }
    HttpTracing.stop(s, response);
    return response;
  }

  Object around(HttpRequest request):
      sendAsync(request) && WeftPointcuts.notWithinWeft() && if(Switches.http) {
    HttpTracing.Async a = HttpTracing.startAsync(request);
    if (a == null) {
      return proceed(request);
    }
    Object future;
    try {
      future = proceed(a.request);
    } catch (Throwable t) {
      HttpTracing.failedAsync(a, t);
      throw Rethrow.as(t);
    }
    return HttpTracing.endAsync(a, future);
  }
}
