package dev.weft.instrumentation.httpclient;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.tracing.Rethrow;
import org.aspectj.lang.annotation.SuppressAjWarnings;
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

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpRequest request):
      send(request) && WeftPointcuts.notWithinWeft() && if(Switches.http) {
    SpanRecord s = HttpTracing.start(request);
    Object response = null;
    Throwable thrown = null;
    try {
      return response = proceed(HttpTracing.sign(request, s));
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      HttpTracing.end(s, response, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpRequest request):
      sendAsync(request) && WeftPointcuts.notWithinWeft() && if(Switches.http) {
    HttpTracing.Async a = HttpTracing.startAsync(request);
    Object future = null;
    Throwable thrown = null;
    try {
      return future = proceed(a == null ? request : a.request);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      HttpTracing.endAsync(a, future, thrown);
    }
  }
}
