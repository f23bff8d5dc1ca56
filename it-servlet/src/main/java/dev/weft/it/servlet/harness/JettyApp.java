package dev.weft.it.servlet.harness;

import dev.weft.it.servlet.app.AsyncServlet;
import dev.weft.it.servlet.app.CallServlet;
import dev.weft.it.servlet.app.DbServlet;
import dev.weft.it.servlet.app.EchoServlet;
import dev.weft.it.servlet.app.ExceptionProbeFilter;
import dev.weft.it.servlet.app.FailingServlet;
import dev.weft.it.servlet.app.ForwardServlet;
import dev.weft.it.servlet.app.HeadersServlet;
import dev.weft.it.servlet.app.IncludeServlet;
import dev.weft.it.servlet.app.LeakyServlet;
import dev.weft.it.servlet.app.WorkServlet;
import dev.weft.it.servlet.app.WrappingFilter;
import dev.weft.it.servlet.plain.PlainServlet;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The test application on an embedded Jetty 12 (ee10) bound to 127.0.0.1 on a free port. */
public final class JettyApp implements AutoCloseable {
  private final Server server;
  private final int port;

  private JettyApp(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts the application.
   *
   * @param service the servlet context's {@code weft.service} init parameter, or null for none
   * @param maxThreads the size of the server's thread pool
   */
  public static JettyApp start(String service, int maxThreads) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4));
    pool.setReservedThreads(0);
    pool.setName("jetty-" + (service == null ? "app" : service));
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    if (service != null) {
      ctx.setInitParameter("weft.service", service);
    }
    EnumSet<DispatcherType> all = EnumSet.allOf(DispatcherType.class);
    ctx.addFilter(ExceptionProbeFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST))
        .setAsyncSupported(true);
    ctx.addFilter(WrappingFilter.class, "/filtered/*", all).setAsyncSupported(true);
    ctx.addFilter(WrappingFilter.class, "/filtered/*", all).setAsyncSupported(true);
    ctx.addServlet(EchoServlet.class, "/echo");
    ctx.addServlet(EchoServlet.class, "/long/*");
    ctx.addServlet(EchoServlet.class, "/reset/*");
    ctx.addServlet(EchoServlet.class, "/filtered/echo");
    ctx.addServlet(ForwardServlet.class, "/forward");
    ctx.addServlet(IncludeServlet.class, "/include");
    ServletHolder async = ctx.addServlet(AsyncServlet.class, "/async");
    async.setAsyncSupported(true);
    ctx.addServlet(FailingServlet.class, "/fail");
    ctx.addServlet(WorkServlet.class, "/work");
    ctx.addServlet(LeakyServlet.class, "/leak");
    ctx.addServlet(CallServlet.class, "/call");
    ctx.addServlet(HeadersServlet.class, "/headers");
    ctx.addServlet(DbServlet.class, "/db");
    ctx.addServlet(PlainServlet.class, "/plain");
    server.setHandler(ctx);
    server.start();
    return new JettyApp(server, connector.getLocalPort());
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
