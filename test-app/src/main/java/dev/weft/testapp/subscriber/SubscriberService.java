package dev.weft.testapp.subscriber;

import dev.weft.testapp.ServiceName;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The webhook subscriber: a small Jetty service that receives the queue service's notifications on
 * {@code POST /notifications} and lists them on {@code GET /notifications}.
 */
public final class SubscriberService implements AutoCloseable {
  private final Server server;
  private final NotificationLog log;

  private SubscriberService(Server server, NotificationLog log) {
    this.server = server;
    this.log = log;
  }

  /** Starts on {@code bind:port} (port 0: a free one), with the process-wide service name. */
  public static SubscriberService start(String bind, int port) throws Exception {
    return start(bind, port, null);
  }

  /**
   * Starts on {@code bind:port} (port 0: a free one). {@code service} names the {@code service} of
   * the spans of this service's requests (the servlet context's {@code weft.service} init
   * parameter); null: the process-wide {@code weft.service}.
   */
  public static SubscriberService start(String bind, int port, String service) throws Exception {
    NotificationLog log = new NotificationLog();
    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost(bind);
    http.setPort(port);
    server.addConnector(http);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ServiceName.apply(ctx, service);
    ctx.addServlet(
        new ServletHolder("notifications", new NotificationsServlet(log)), "/notifications");
    server.setHandler(ctx);
    server.setStopTimeout(2000);
    server.start();
    return new SubscriberService(server, log);
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The webhook URL to subscribe: {@code http://<bind>:<port>/notifications}. */
  public String webhookUrl() {
    ServerConnector c = (ServerConnector) server.getConnectors()[0];
    return "http://" + c.getHost() + ":" + c.getLocalPort() + "/notifications";
  }

  public NotificationLog log() {
    return log;
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
