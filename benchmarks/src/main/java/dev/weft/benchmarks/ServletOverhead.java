package dev.weft.benchmarks;

import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.pipeline.Pipeline;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
 * The per-request cost of the servlet aspect (issue "servlet entry"), measured through a real
 * embedded Jetty 12 over loopback, one HTTP/1.1 request per operation on a keep-alive connection:
 *
 * <ul>
 *   <li>{@code unwoven} — {@link BenchServlets.Plain}, which ajc did not weave;
 *   <li>{@code unwovenSignedHeaders} — the same, sent the signed trace headers the {@code traced}
 *       row sends, so the cost of carrying and parsing them is not counted as tracing;
 *   <li>{@code wovenDisabled} — {@link BenchServlets.Woven} (its {@code doGet} woven by ajc) with
 *       {@code weft.enabled=false};
 *   <li>{@code enabledNotTraced} — enabled, a request without trace headers;
 *   <li>{@code traced} — a request with valid X-Trace-Info / X-Trace-HMAC: the signature is
 *       verified, a trace starts, one servlet span is recorded and handed to the pipeline, whose
 *       collector ({@code discard://}) keeps nothing.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ServletOverhead}. The HTTP round trip
 * (client, loopback, Jetty's parser and threads) dominates every row; the servlet aspect's cost is
 * the difference between rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class ServletOverhead {
  static final String KEY = "bench-key";

  /** Jetty serving both servlets on 127.0.0.1, and a client. */
  @State(Scope.Benchmark)
  public static class Jetty {
    Server server;
    LoopbackClient client;
    HttpRequest plain;
    HttpRequest plainSigned;
    HttpRequest woven;
    HttpRequest wovenSigned;

    @Setup(Level.Trial)
    public void start() throws Exception {
      server = new Server();
      ServerConnector http = new ServerConnector(server);
      http.setHost("127.0.0.1");
      http.setPort(0);
      server.addConnector(http);
      ServletContextHandler ctx = new ServletContextHandler();
      ctx.setContextPath("/");
      ctx.addServlet(new ServletHolder("plain", new BenchServlets.Plain()), "/plain");
      ctx.addServlet(new ServletHolder("woven", new BenchServlets.Woven()), "/woven");
      server.setHandler(ctx);
      server.start();
      String base = "http://127.0.0.1:" + http.getLocalPort();
      Map<String, String> signed = TraceHeaders.sign(UUID.randomUUID().toString(), null, KEY);
      client = new LoopbackClient();
      plain = LoopbackClient.request("GET", URI.create(base + "/plain"), Map.of(), null);
      plainSigned = LoopbackClient.request("GET", URI.create(base + "/plain"), signed, null);
      woven = LoopbackClient.request("GET", URI.create(base + "/woven"), Map.of(), null);
      wovenSigned = LoopbackClient.request("GET", URI.create(base + "/woven"), signed, null);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      server.stop();
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
      printPipeline();
    }
  }

  static void configureWeft(boolean enabled) {
    Weft.set("weft.connection_string", "discard://");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.max_traces_per_second", "0");
    Weft.set("weft.service", "bench");
    Weft.set("weft.enabled", String.valueOf(enabled));
  }

  /** Prints the pipeline's counters, so a run shows whether spans were recorded or dropped. */
  static void printPipeline() {
    Pipeline p = WeftRuntime.pipeline();
    System.out.printf(
        "%nweft pipeline: spans accepted=%d, stored=%d, dropped (queue full)=%d,"
            + " dropped (collector)=%d, events discarded by the collector=%d%n",
        p.accepted(),
        p.stored(),
        p.droppedQueueFull(),
        p.droppedCollector(),
        DiscardingCollectorFactory.EVENTS.sum());
  }

  @Benchmark
  public String unwoven(WeftOff off, Jetty j) throws Exception {
    return j.client.send(j.plain, 200);
  }

  @Benchmark
  public String unwovenSignedHeaders(WeftOff off, Jetty j) throws Exception {
    return j.client.send(j.plainSigned, 200);
  }

  @Benchmark
  public String wovenDisabled(WeftOff off, Jetty j) throws Exception {
    return j.client.send(j.woven, 200);
  }

  @Benchmark
  public String enabledNotTraced(WeftOn on, Jetty j) throws Exception {
    return j.client.send(j.woven, 200);
  }

  @Benchmark
  public String traced(WeftOn on, Jetty j) throws Exception {
    return j.client.send(j.wovenSigned, 200);
  }
}
