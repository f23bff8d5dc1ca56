package dev.weft.testapp;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * Names the service of one Jetty context's spans. {@code weft.service} is process-wide; when the
 * queue API and the subscriber run in one JVM (the tests), each context sets Weft's servlet context
 * init parameter {@value #INIT_PARAM}, which the servlet entry stamps on the request's spans.
 */
public final class ServiceName {
  /** The servlet context init parameter Weft's servlet entry reads. */
  public static final String INIT_PARAM = "weft.service";

  private ServiceName() {}

  /** Sets the init parameter on {@code ctx} unless {@code service} is null or empty. */
  public static void apply(ServletContextHandler ctx, String service) {
    if (service != null && !service.isEmpty()) {
      ctx.setInitParameter(INIT_PARAM, service);
    }
  }
}
