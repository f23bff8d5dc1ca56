package dev.weft.instrumentation.servlet;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.tracing.Rethrow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The servlet entry (category {@code servlet}). Load-time woven, it applies to the container's
 * {@code HttpServlet}: its public {@code service(ServletRequest, ServletResponse)}, which every
 * request passes (Spring's {@code FrameworkServlet} serves PATCH in its own {@code
 * service(HttpServletRequest, HttpServletResponse)} without calling HttpServlet's), and its {@code
 * service(HttpServletRequest, HttpServletResponse)}. Compile-time woven, it applies to an
 * application's own servlets' {@code service} and {@code do*} methods. {@link ServletTracing}
 * makes one span per request out of however many of these join points the request passes, and
 * applies the trigger rules.
 */
public aspect ServletAspect {

  /** {@code HttpServlet.service(ServletRequest, ServletResponse)}, for HTTP requests. */
  public pointcut publicService(HttpServletRequest req, HttpServletResponse resp):
      execution(void jakarta.servlet.http.HttpServlet.service(
              jakarta.servlet.ServletRequest, jakarta.servlet.ServletResponse))
      && args(req, resp);

  /** {@code service(HttpServletRequest, HttpServletResponse)} of HttpServlet and its subclasses. */
  public pointcut service(HttpServletRequest req, HttpServletResponse resp):
      execution(void jakarta.servlet.http.HttpServlet+.service(HttpServletRequest, HttpServletResponse))
      && args(req, resp);

  /** The {@code doGet}, {@code doPost}, ... handlers of HttpServlet and its subclasses. */
  public pointcut doMethod(HttpServletRequest req, HttpServletResponse resp):
      execution(void jakarta.servlet.http.HttpServlet+.do*(HttpServletRequest, HttpServletResponse))
      && args(req, resp);

  pointcut entry(HttpServletRequest req, HttpServletResponse resp):
      (publicService(req, resp) || service(req, resp) || doMethod(req, resp))
      && WeftPointcuts.notWithinWeft()
      && if(Switches.servlet);

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(HttpServletRequest req, HttpServletResponse resp): entry(req, resp) {
    Object token = ServletTracing.enter(req);
    Throwable thrown = null;
    try {
      proceed(req, resp);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      ServletTracing.exit(token, req, resp, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(jakarta.servlet.http.HttpServlet+)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("servlet");
  }
}
