package dev.weft.testapp.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.annotations.Category;
import dev.weft.cli.Views;
import dev.weft.spi.TraceReader;
import dev.weft.testapp.Main;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The one-command demo. It starts redis-server, a MongoDB-protocol server and (inside the API
 * service) H2; runs the queue API ({@code serve}) and the subscriber as two child JVMs, so each
 * service stamps its own {@code service} name, with every Weft category on but the heavy ones,
 * {@code mongodb}, {@code redis} and {@code sql}, off as Weft's defaults have them; registers one
 * pool of each kind; runs a scripted, profiled client session (one trace per client command, as
 * {@code client --profile KEY --trace-categories mongodb,redis,sql} does: each trace asks for the
 * heavy categories for itself), with one command sent again without them, traced without its
 * storage calls; stops the services; and prints each trace as a tree, with where its time went
 * (category shares of self time and of the critical path, and the spans that hold most of it).
 *
 * <p>The children run with the same {@code -javaagent} as this JVM, so the drivers are woven at
 * load time in them too.
 */
public final class Demo {
  /** The HMAC key of the demo's services and client; it signs the demo's local requests only. */
  static final String DEMO_KEY = "weft-demo-key";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CATEGORIES = {
    Category.ANNOTATED,
    Category.SERVLET,
    Category.HTTP,
    Category.MONGODB,
    Category.REDIS,
    Category.SQL,
    Category.POOLING,
    Category.ASYNC
  };

  /** Off in every process of the demo; each client command asks for them for its own trace. */
  static final String[] DEEP = {Category.MONGODB, Category.REDIS, Category.SQL};

  private final Path tracesDir;
  private final PrintStream out;
  private final List<Step> steps = new ArrayList<>();
  private String zipkin;

  /** One profiled client command. */
  record Step(String label, String baseId, ApiResponse response) {}

  public Demo(Path tracesDir, PrintStream out) {
    this.tracesDir = tracesDir.toAbsolutePath().normalize();
    this.out = out;
  }

  /**
   * After the run, also sends every stored trace to Zipkin through the {@code zipkin://} collector
   * ({@code --also-zipkin zipkin://127.0.0.1:9411}); null (the default) sends nothing.
   */
  public Demo alsoZipkin(String connectionString) {
    this.zipkin = connectionString;
    return this;
  }

  /** The Weft settings of every process of the demo (the service name comes on top). */
  Map<String, String> weftSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("weft.enabled", "true");
    for (String c : CATEGORIES) {
      m.put("weft.trace." + c, String.valueOf(!List.of(DEEP).contains(c)));
    }
    m.put("weft.hmac_keys", DEMO_KEY);
    m.put("weft.connection_string", "file://" + tracesDir);
    m.put("weft.max_traces_per_second", "1000");
    return m;
  }

  /** Runs the demo; returns the process exit code (0 when every step did what it should). */
  public int run() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(tracesDir);
    Path logs = Files.createTempDirectory("weft-demo-logs");
    for (Map.Entry<String, String> e : weftSettings().entrySet()) {
      Weft.set(e.getKey(), e.getValue());
    }
    Weft.set("weft.service", "client");
    out.println("== Weft demo: traces go to file://" + tracesDir);
    out.println("   " + Weft.describe());
    out.println(
        "   mongodb, redis and sql are off in every service; each client command asks for them"
            + " for its own trace (--trace-categories "
            + String.join(",", DEEP)
            + "), but one");

    List<Child> children = new ArrayList<>();
    try (EmbeddedServers.Redis redis = EmbeddedServers.redis();
        EmbeddedServers.Mongo mongo = EmbeddedServers.mongo()) {
      out.println("   redis-server on " + redis.uri() + ", mongo-java-server on " + mongo.uri(""));
      int apiPort = EmbeddedServers.freePort();
      int subPort = EmbeddedServers.freePort();
      Child api =
          Child.start(
              "queue-api",
              logs,
              weftSettings(),
              "serve",
              "--port",
              "" + apiPort,
              "--strict-headers");
      children.add(api);
      Child sub =
          Child.start("subscriber", logs, weftSettings(), "subscriber", "--port", "" + subPort);
      children.add(sub);
      URI apiUri = URI.create("http://127.0.0.1:" + apiPort);
      URI subUri = URI.create("http://127.0.0.1:" + subPort + "/notifications");
      api.awaitReady(URI.create(apiUri + "/v2/ping"), Duration.ofSeconds(45));
      sub.awaitReady(subUri, Duration.ofSeconds(45));
      out.printf("   queue-api on %s, subscriber on %s (child JVMs)%n%n", apiUri, subUri);

      script(new QueueClient(apiUri), redis, mongo, subUri);
      int notified = notifications(subUri);
      out.println();
      out.println("   the subscriber received " + notified + " notification(s)");
    } finally {
      for (Child c : children) {
        c.stop();
      }
    }
    Weft.flush();
    printTrees();
    out.printf(
        "%n== Done in %.1f s: %d traces in file://%s%n",
        (System.nanoTime() - t0) / 1e9, steps.size(), tracesDir);
    out.println("   HTML views: " + tracesDir.resolve("html") + "/<trace id>.html");
    out.println(
        "   Show one with: WEFT_CONNECTION_STRING=file://"
            + tracesDir
            + " weft trace show --html <trace id>");
    out.println("   (weft is java -jar cli/target/weft-cli.jar; add --out FILE to write the page)");
    if (zipkin != null) {
      replayToZipkin();
    }
    return 0;
  }

  /**
   * Sends the events of every trace of the run, as stored in {@code file://}, to Zipkin with Weft's
   * {@code zipkin://} collector (the same spans a service exporting there live would send).
   */
  private void replayToZipkin() throws Exception {
    int spans = 0;
    try (TraceReader reader = dev.weft.Weft.reader("file://" + tracesDir);
        dev.weft.spi.Collector c = dev.weft.Weft.collector(zipkin)) {
      for (Step s : steps) {
        List<dev.weft.spi.Event> batch = new ArrayList<>();
        for (String e : reader.events(s.baseId())) {
          JsonNode n = JSON.readTree(e);
          String name = n.path("name").asText();
          batch.add(
              new dev.weft.spi.Event(
                  s.baseId(),
                  name,
                  e,
                  n.path("timestamp").asText(),
                  name.endsWith("-stop") && n.path("info").has("etype")));
          spans += name.endsWith("-start") ? 1 : 0;
        }
        c.store(batch);
      }
    }
    String ui = zipkinUi(zipkin);
    out.printf("%n== Zipkin: %d spans of %d traces sent to %s%n", spans, steps.size(), zipkin);
    out.println("   Open one: " + ui + "/zipkin/traces/<trace id without dashes>");
  }

  /** The UI's base URL for a {@code zipkin://} or {@code zipkins://} connection string. */
  static String zipkinUi(String cs) {
    URI u = URI.create(cs);
    boolean tls = "zipkins".equalsIgnoreCase(u.getScheme());
    int port = u.getPort() < 0 ? (tls ? 443 : 9411) : u.getPort();
    return (tls ? "https://" : "http://") + u.getHost() + ":" + port;
  }

  /** The scripted session. Each call is its own profiled trace. */
  private void script(
      QueueClient client, EmbeddedServers.Redis redis, EmbeddedServers.Mongo mongo, URI subscriber)
      throws IOException {
    Map<String, String> poolUris = new LinkedHashMap<>();
    poolUris.put("mongo", mongo.uri("weft_demo"));
    poolUris.put("redis", redis.uri());
    poolUris.put("sql", "jdbc:h2:mem:weft-demo-messages;DB_CLOSE_DELAY=-1");
    for (Map.Entry<String, String> p : poolUris.entrySet()) {
      expect(
          201,
          "pool-register " + p.getKey(),
          c -> c.registerPool(p.getKey(), p.getValue(), 100),
          client);
    }

    // Weighted random placement: create queues until each pool holds one.
    Map<String, String> queueOfPool = new LinkedHashMap<>();
    for (int i = 1; queueOfPool.size() < poolUris.size(); i++) {
      if (i > 40) {
        throw new IllegalStateException("40 queues never covered every pool: " + queueOfPool);
      }
      String name = "demo-" + i;
      ApiResponse created =
          expect(201, "queue-create " + name, c -> c.createQueue(name, null), client);
      String pool = client.getQueue(name).header("x-queue-pool");
      relabel(created, "queue-create " + name + " -> pool " + pool);
      queueOfPool.putIfAbsent(pool, name);
    }

    String subscribed = queueOfPool.get("redis");
    expect(
        201,
        "subscription-create " + subscribed,
        c -> c.createSubscription(subscribed, subscriber.toString(), 3600),
        client);

    Map<String, String> firstMessage = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : queueOfPool.entrySet()) {
      String q = e.getValue();
      List<QueueClient.Message> batch =
          List.of(
              new QueueClient.Message(
                  JSON.readTree("{\"event\": \"order-created\", \"n\": 1}"), 300),
              new QueueClient.Message(JSON.readTree("{\"event\": \"order-paid\", \"n\": 2}"), 300));
      ApiResponse r =
          expect(
              201,
              "message-post " + q + " (" + e.getKey() + " pool, 2 messages)",
              c -> c.postMessages(q, batch),
              client);
      String href = r.body().path("resources").path(0).asText();
      firstMessage.put(q, href.substring(href.lastIndexOf('/') + 1));
    }
    for (String q : queueOfPool.values()) {
      // echo: this client's own messages too (Zaqar leaves them out by default)
      expect(200, "message-list " + q, c -> c.listMessages(q, 10, true, false), client);
    }
    // The same request without --trace-categories: the services record no storage call for it.
    String lq = queueOfPool.get("redis");
    expect(
        200,
        "message-list " + lq + " (no --trace-categories)",
        c -> c.listMessages(lq, 10, true, false),
        client,
        new String[0]);
    String mq = queueOfPool.get("mongo");
    expect(200, "message-get " + mq, c -> c.getMessage(mq, firstMessage.get(mq)), client);
    String cq = queueOfPool.get("redis");
    ApiResponse claimed =
        expect(
            201,
            "claim-create " + cq + " (1 message, ttl 60 s)",
            c -> c.createClaim(cq, 60, 60, 1),
            client);
    String claim = claimed.locationId();
    expect(204, "claim-delete " + cq + " (releases it)", c -> c.deleteClaim(cq, claim), client);
    String sq = queueOfPool.get("sql");
    expect(204, "message-delete " + sq, c -> c.deleteMessage(sq, firstMessage.get(sq)), client);
    expect(200, "queue-list", QueueClient::listQueues, client);
    expect(200, "pool-list", QueueClient::listPools, client);
    expect(200, "subscription-list " + subscribed, c -> c.listSubscriptions(subscribed), client);
    expect(
        404,
        "message-get no-such-queue (fails: unknown queue)",
        c -> c.getMessage("no-such-queue", firstMessage.get(mq)),
        client);
    expect(204, "queue-delete " + sq, c -> c.deleteQueue(sq), client);
  }

  private interface Call {
    ApiResponse call(QueueClient c) throws IOException;
  }

  /** Runs one profiled client command, asking for {@link #DEEP}, and checks its status. */
  private ApiResponse expect(int status, String label, Call call, QueueClient client)
      throws IOException {
    return expect(status, label, call, client, DEEP);
  }

  /** Runs one profiled client command whose trace asks for {@code categories}. */
  private ApiResponse expect(
      int status, String label, Call call, QueueClient client, String[] categories)
      throws IOException {
    ApiResponse r;
    String baseId;
    try (TraceScope t = Trace.beginClient(DEMO_KEY, categories)) {
      baseId = t.baseId();
      r = call.call(client);
    }
    steps.add(new Step(label, baseId, r));
    out.printf("%-62s %s  Trace ID: %s%n", label, r.summary(), baseId);
    if (r.status() != status) {
      throw new IllegalStateException(label + ": expected HTTP " + status + ", got " + r.summary());
    }
    return r;
  }

  private void relabel(ApiResponse r, String label) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).response() == r) {
        steps.set(i, new Step(label, steps.get(i).baseId(), r));
      }
    }
  }

  private static int notifications(URI subscriber) throws IOException {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(subscriber).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode n = JSON.readTree(r.body());
      return n.path("notifications").size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * Prints each trace as a tree and writes its HTML view ({@code weft trace show --html}'s page) to
   * {@code <traces>/html/<base_id>.html}.
   */
  private void printTrees() throws Exception {
    Path html = tracesDir.resolve("html");
    Files.createDirectories(html);
    out.println();
    out.println("== Traces (name [service] start..finish ms, what each span recorded)");
    try (TraceReader reader = dev.weft.Weft.reader("file://" + tracesDir)) {
      int i = 1;
      for (Step s : steps) {
        List<String> events = reader.events(s.baseId());
        Map<String, Object> report = TraceTree.report(events);
        out.printf("%n-- %d. %s  (%s)%n", i++, s.label(), s.response().summary());
        out.println("Trace ID: " + s.baseId());
        out.println("Display trace with command: weft trace show --html " + s.baseId());
        String tree = TraceTree.render(report);
        out.print(tree.isEmpty() ? "(no spans stored)\n" : tree);
        if (!events.isEmpty()) {
          // where the time went: category shares of self time and of the critical path
          String where = Views.bottleneck(s.baseId(), events);
          out.print(where.endsWith("\n") ? where : where + "\n");
          Path page = html.resolve(s.baseId() + ".html");
          Files.writeString(page, Views.html(s.baseId(), events), StandardCharsets.UTF_8);
          out.println("HTML view: " + page);
        }
      }
    }
  }

  /** A service of the demo running in its own JVM. */
  static final class Child {
    private final String name;
    private final Process process;
    private final Path log;

    private Child(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    /**
     * Starts {@code java -javaagent:<this JVM's agent> -Dweft.*... -cp <classpath> Main args...}.
     */
    static Child start(String name, Path logs, Map<String, String> weft, String... args)
        throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      String agent = System.getProperty(dev.weft.testapp.AgentLauncher.AGENT_PATH);
      if (agent != null) {
        cmd.add("-javaagent:" + agent);
      } else {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
          if (a.startsWith("-javaagent:")) {
            cmd.add(a);
          }
        }
      }
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-Xshare:auto");
      for (Map.Entry<String, String> e : weft.entrySet()) {
        cmd.add("-D" + e.getKey() + "=" + e.getValue());
      }
      cmd.add("-Dweft.service=" + name);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Main.class.getName());
      cmd.addAll(List.of(args));
      Path log = logs.resolve(name + ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Child(name, p, log);
    }

    void awaitReady(URI probe, Duration timeout) throws Exception {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited:\n" + Files.readString(log));
        }
        try {
          // The queue API wants a Client-ID and an X-Project-ID on every request, as Zaqar does.
          int status =
              http.send(
                      HttpRequest.newBuilder(probe)
                          .header("Client-ID", UUID.randomUUID().toString())
                          .header("X-Project-ID", QueueClient.DEFAULT_PROJECT)
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          if (status / 100 == 2) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          name + " did not start in " + timeout + ":\n" + Files.readString(log));
    }

    /** Stops the service (its shutdown hooks flush its spans) and waits for it. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
