package dev.weft.benchmarks;

import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP throughput of the test app's message post (issue "test app"): the app's API service (its own
 * code compile-time woven, as shipped) started in this JVM on 127.0.0.1 with H2 management data and
 * one SQL message pool on H2; each operation is one {@code POST /v2/queues/bench/messages} of one
 * message over loopback, answered 201.
 *
 * <ul>
 *   <li>{@code disabled} — {@code weft.enabled=false};
 *   <li>{@code enabledNotTraced} — enabled, requests without trace headers;
 *   <li>{@code traced} — every request signed (X-Trace-Info / X-Trace-HMAC, valid key): each one
 *       starts a trace with the servlet span, the app's {@code @Traced} spans (catalog lookup) and
 *       its SQL message store's JDBC statement, collected into {@code discard://}.
 * </ul>
 *
 * <p>These three run without an agent: Hibernate and HikariCP are not woven, and a traced post
 * records what is compile-time woven into the app. The {@code agent*} rows are the same three, run
 * as the test app ships: with {@code -javaagent} and the shipped aop.xml, so Hibernate and HikariCP
 * are load-time woven too and a traced post also records their spans.
 *
 * <p>Run from the repository root (the agent's path is relative to it): {@code java -jar
 * benchmarks/target/benchmarks.jar HttpThroughput}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch"})
public class HttpThroughput {
  static final String KEY = "bench-key";
  static final String MESSAGE =
      "{\"messages\": [{\"body\": {\"event\": \"bench\", \"n\": 1}, \"ttl\": 300}]}";

  /** The API service on H2 with queue {@code bench} in an H2 SQL pool, and a client. */
  @State(Scope.Benchmark)
  public static class App {
    ApiService api;
    LoopbackClient client;
    HttpRequest post;
    HttpRequest signedPost;

    /** Requests sent in this trial (one thread), printed with the pipeline's counters. */
    long sent;

    @Setup(Level.Trial)
    public void start() throws Exception {
      api =
          ApiService.start(
              ApiService.Settings.defaults()
                  .port(0)
                  .managementUrl(
                      "jdbc:h2:mem:bench-management-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
      QueueClient setup = new QueueClient(api.baseUri());
      ApiResponse pool =
          setup.registerPool(
              "sql", "jdbc:h2:mem:bench-messages-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", 1);
      check(pool.ok(), "pool-register sql: " + pool.summary());
      ApiResponse queue = setup.createQueue("bench", null);
      check(queue.status() == 201, "queue-create bench: " + queue.summary());

      URI uri = URI.create(api.baseUri() + "/v2/queues/bench/messages");
      Map<String, String> signed = TraceHeaders.sign(UUID.randomUUID().toString(), null, KEY);
      client = new LoopbackClient();
      post = LoopbackClient.request("POST", uri, Map.of(), MESSAGE);
      signedPost = LoopbackClient.request("POST", uri, signed, MESSAGE);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      System.out.printf("%nmessage posts sent in this trial: %d%n", sent);
      api.close();
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  /** {@code weft.enabled=false}. */
  @State(Scope.Benchmark)
  public static class WeftOff {
    @Setup(Level.Trial)
    public void configure() {
      configureWeft(false);
    }
  }

  /** Enabled, {@code discard://}, the benchmark's key trusted, no rate limit. */
  @State(Scope.Benchmark)
  public static class WeftOn {
    @Setup(Level.Trial)
    public void configure() {
      configureWeft(true);
    }

    @TearDown(Level.Trial)
    public void report() {
      Weft.flush();
      ServletOverhead.printPipeline();
    }
  }

  static void configureWeft(boolean enabled) {
    Weft.set("weft.connection_string", "discard://");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.max_traces_per_second", "0");
    Weft.set("weft.service", "bench-api");
    // Driver categories: they only take effect in the forks that load-time weave the drivers.
    Weft.set("weft.trace.sql", "true");
    Weft.set("weft.trace.redis", "true");
    Weft.set("weft.trace.mongodb", "true");
    Weft.set("weft.enabled", String.valueOf(enabled));
  }

  @Benchmark
  public String disabled(WeftOff off, App app) throws Exception {
    app.sent++;
    return app.client.send(app.post, 201);
  }

  @Benchmark
  public String enabledNotTraced(WeftOn on, App app) throws Exception {
    app.sent++;
    return app.client.send(app.post, 201);
  }

  @Benchmark
  public String traced(WeftOn on, App app) throws Exception {
    app.sent++;
    return app.client.send(app.signedPost, 201);
  }

  // ---- as the test app ships: its drivers load-time woven (-javaagent, the shipped aop.xml)

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = DriverOverhead.AGENT,
      jvmArgsAppend = {"-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch"})
  public String agentDisabled(WeftOff off, App app) throws Exception {
    app.sent++;
    return app.client.send(app.post, 201);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = DriverOverhead.AGENT,
      jvmArgsAppend = {"-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch"})
  public String agentEnabledNotTraced(WeftOn on, App app) throws Exception {
    app.sent++;
    return app.client.send(app.post, 201);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = DriverOverhead.AGENT,
      jvmArgsAppend = {"-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch"})
  public String agentTraced(WeftOn on, App app) throws Exception {
    app.sent++;
    return app.client.send(app.signedPost, 201);
  }
}
