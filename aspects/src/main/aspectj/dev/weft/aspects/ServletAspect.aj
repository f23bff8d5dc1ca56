package dev.weft.aspects;

import dev.weft.internal.config.Switches;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.ServletTracing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet entry (category {@code servlet}). Load-time woven, it applies to the container's
 * {@code HttpServlet.service(HttpServletRequest, HttpServletResponse)} (weaving-config's aop.xml);
 * compile-time woven, to an application's own servlets' {@code service} and {@code do*} methods.
 * {@link ServletTracing} makes one span per request out of however many of these join points the
 * request passes, and applies the trigger rules.
 */
public aspect ServletAspect {

  /** {@code service(HttpServletRequest, HttpServletResponse)} of HttpServlet and its subclasses. */
  public pointcut service(HttpServletRequest req, HttpServletResponse resp):
      execution(void jakarta.servlet.http.HttpServlet+.service(HttpServletRequest, HttpServletResponse))
      && args(req, resp);

  /** The {@code doGet}, {@code doPost}, ... handlers of HttpServlet and its subclasses. */
  public pointcut doMethod(HttpServletRequest req, HttpServletResponse resp):
      execution(void jakarta.servlet.http.HttpServlet+.do*(HttpServletRequest, HttpServletResponse))
      && args(req, resp);

  pointcut entry(HttpServletRequest req, HttpServletResponse resp):
      (service(req, resp) || doMethod(req, resp))
      && WeftPointcuts.notWithinWeft()
      && if(Switches.servlet);

  void around(HttpServletRequest req, HttpServletResponse resp): entry(req, resp) {
    Object token = ServletTracing.enter(req);
    if (token == null) {
      proceed(req, resp);
      return;
    }
    Throwable thrown = null;
    try {
      proceed(req, resp);
    } catch (Throwable t) {
      thrown = t;
      throw Rethrow.as(t);
    } finally {
      ServletTracing.exit(token, req, resp, thrown);
    }
  }
}
