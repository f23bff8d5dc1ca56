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
 * The queue API service: Zaqar's v2 API (home document, health, queues, messages, claims,
 * subscriptions, pre-signed URLs, pools and flavors) on embedded Jetty.
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
   * @param strictHeaders whether every {@code /v2/} request must carry a Client-ID and an
   *     X-Project-ID, as Zaqar requires; off, a request without them is served as an anonymous
   *     client's (a Client-ID that is there is always checked)
   * @param signedUrlKey the secret of pre-signed URLs ({@code POST /v2/queues/{q}/share}, Zaqar's
   *     {@code [signed_url] secret_key}); null: sharing answers Zaqar's 400, signed requests 404
   */
  public record Settings(
      String bind,
      int port,
      String managementUrl,
      int bodyLimit,
      Duration catalogTtl,
      String service,
      boolean strictHeaders,
      String signedUrlKey) {
    /**
     * 127.0.0.1:8888, in-memory H2 management, 256 KiB bodies, a 5 s catalog cache, the
     * process-wide service name, Client-ID and X-Project-ID not required, no signed URLs.
     */
    public static Settings defaults() {
      return new Settings(
          "127.0.0.1",
          8888,
          ManagementStore.DEFAULT_URL,
          256 * 1024,
          Duration.ofSeconds(5),
          null,
          false,
          null);
    }

    public Settings port(int port) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, catalogTtl, service, strictHeaders, signedUrlKey);
    }

    public Settings bind(String bind) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, catalogTtl, service, strictHeaders, signedUrlKey);
    }

    public Settings managementUrl(String url) {
      return new Settings(
          bind, port, url, bodyLimit, catalogTtl, service, strictHeaders, signedUrlKey);
    }

    public Settings catalogTtl(Duration ttl) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, ttl, service, strictHeaders, signedUrlKey);
    }

    /** The service name of this service's spans; null: the process-wide {@code weft.service}. */
    public Settings service(String service) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, catalogTtl, service, strictHeaders, signedUrlKey);
    }

    /** Whether Client-ID and X-Project-ID are required on every request (Zaqar: yes). */
    public Settings strictHeaders(boolean strict) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, catalogTtl, service, strict, signedUrlKey);
    }

    /** The secret of pre-signed URLs; null: none. */
    public Settings signedUrlKey(String key) {
      return new Settings(
          bind, port, managementUrl, bodyLimit, catalogTtl, service, strictHeaders, key);
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
    ctx.addServlet(
        new ServletHolder("queues", new QueuesServlet(service, settings)), "/v2/queues/*");
    ctx.addServlet(new ServletHolder("pools", new PoolsServlet(service, settings)), "/v2/pools/*");
    ctx.addServlet(
        new ServletHolder("flavors", new FlavorsServlet(service, settings)), "/v2/flavors/*");
    ctx.addServlet(new ServletHolder("ping", new PingServlet(settings)), "/v2/ping");
    ctx.addServlet(new ServletHolder("health", new HealthServlet(service, settings)), "/v2/health");
    ServletHolder home = new ServletHolder("home", new HomeServlet(settings));
    ctx.addServlet(home, "/v2/");
    ctx.addServlet(home, "/v2");
    ctx.addServlet(new ServletHolder("not-found", new NotFoundServlet(settings)), "/");
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
