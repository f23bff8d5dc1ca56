package dev.weft.testapp.api;

import dev.weft.testapp.ServiceName;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.notify.WebhookNotifier;
import dev.weft.testapp.pooling.Catalog;
import dev.weft.testapp.pooling.PoolRegistry;
import dev.weft.testapp.pooling.PoolSelector;
import java.time.Duration;
import java.util.Random;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The queue API service: Zaqar's v2 queues, messages, pools and subscriptions on embedded Jetty.
 *
 * <pre>{@code
 * try (ApiService api = ApiService.start(ApiService.Settings.defaults().port(0))) {
 *   URI base = api.baseUri();   // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class ApiService implements AutoCloseable {
  /**
   * Start-up settings; every field has a default.
   *
   * @param service the {@code service} name stamped on the spans of this service's requests (the
   *     servlet context's {@code weft.service} init parameter), or null for the process-wide {@code
   *     weft.service}; set it when several services share one JVM
   */
  public record Settings(
      String bind,
      int port,
      String managementUrl,
      int bodyLimit,
      Duration catalogTtl,
      String service) {
    /**
     * 127.0.0.1:8888, in-memory H2 management, 256 KiB bodies, a 5 s catalog cache, the
     * process-wide service name.
     */
    public static Settings defaults() {
      return new Settings(
          "127.0.0.1", 8888, ManagementStore.DEFAULT_URL, 256 * 1024, Duration.ofSeconds(5), null);
    }

    public Settings port(int port) {
      return new Settings(bind, port, managementUrl, bodyLimit, catalogTtl, service);
    }

    public Settings bind(String bind) {
      return new Settings(bind, port, managementUrl, bodyLimit, catalogTtl, service);
    }

    public Settings managementUrl(String url) {
      return new Settings(bind, port, url, bodyLimit, catalogTtl, service);
    }

    public Settings catalogTtl(Duration ttl) {
      return new Settings(bind, port, managementUrl, bodyLimit, ttl, service);
    }

    /** The service name of this service's spans; null: the process-wide {@code weft.service}. */
    public Settings service(String service) {
      return new Settings(bind, port, managementUrl, bodyLimit, catalogTtl, service);
    }
  }

  private final Server server;
  private final ManagementStore management;
  private final PoolRegistry pools;
  private final Catalog catalog;

  private ApiService(Server server, ManagementStore m, PoolRegistry pools, Catalog catalog) {
    this.server = server;
    this.management = m;
    this.pools = pools;
    this.catalog = catalog;
  }

  /** Opens the management database and starts serving. */
  public static ApiService start(Settings settings) throws Exception {
    if (!ManagementStore.supports(settings.managementUrl())) {
      throw new IllegalArgumentException(
          "the management database must be a jdbc:h2: or " + "jdbc:postgresql: URL");
    }
    ManagementStore management = new ManagementStore(settings.managementUrl());
    PoolRegistry pools = new PoolRegistry(management);
    Catalog catalog = new Catalog(management, settings.catalogTtl());
    QueueService service =
        new QueueService(
            management,
            catalog,
            new PoolSelector(management, new Random()),
            pools,
            new WebhookNotifier());

    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost(settings.bind());
    http.setPort(settings.port());
    server.addConnector(http);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ServiceName.apply(ctx, settings.service());
    QueuesServlet queues = new QueuesServlet(service, settings.bodyLimit());
    ctx.addServlet(new ServletHolder("queues", queues), "/v2/queues/*");
    ctx.addServlet(
        new ServletHolder("pools", new PoolsServlet(service, settings.bodyLimit())), "/v2/pools/*");
    ctx.addServlet(new ServletHolder("ping", new HealthServlet()), "/v2/ping");
    server.setHandler(ctx);
    server.setStopTimeout(2000);
    try {
      server.start();
    } catch (Exception e) {
      pools.close();
      management.close();
      throw e;
    }
    return new ApiService(server, management, pools, catalog);
  }

  /** The port the service listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** {@code http://<bind>:<port>}. */
  public java.net.URI baseUri() {
    ServerConnector c = (ServerConnector) server.getConnectors()[0];
    return java.net.URI.create("http://" + c.getHost() + ":" + c.getLocalPort());
  }

  /** The management store (tests read it to check what a request changed). */
  public ManagementStore management() {
    return management;
  }

  /** The open message stores (tests read them to check what a request changed). */
  public PoolRegistry pools() {
    return pools;
  }

  /** The catalog cache. */
  public Catalog catalog() {
    return catalog;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      pools.close();
      management.close();
    }
  }
}
