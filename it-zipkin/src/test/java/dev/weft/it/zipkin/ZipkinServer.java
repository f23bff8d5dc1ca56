package dev.weft.it.zipkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Zipkin server ({@code io.zipkin:zipkin-server}, classifier {@code exec}: one runnable
 * jar, in-memory storage by default) as a child JVM listening on 127.0.0.1 only. The build copies
 * the jar to {@code target/zipkin/zipkin-server.jar} ({@code weft.zipkin.jar}); where it is missing
 * the suites are skipped and say why.
 */
final class ZipkinServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final int port;
  private final Path log;
  private Process process;

  private ZipkinServer(int port, Path log) {
    this.port = port;
    this.log = log;
  }

  static Path jar() {
    return Path.of(System.getProperty("weft.zipkin.jar", "target/zipkin/zipkin-server.jar"));
  }

  /** Why the suites cannot run here, or null. */
  static String missing() {
    return Files.isRegularFile(jar())
        ? null
        : "skipped: the Zipkin server jar "
            + jar()
            + " is missing (built with -Dzipkin.skip=true, or io.zipkin:zipkin-server:"
            + System.getProperty("weft.zipkin.version", "3.5.1")
            + ":exec did not resolve)";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Starts a Zipkin server on {@code port} and waits until its {@code /health} is UP. */
  static ZipkinServer start(int port) throws Exception {
    ZipkinServer z = new ZipkinServer(port, Files.createTempFile("zipkin-" + port + "-", ".log"));
    z.launch();
    z.awaitHealthy(Duration.ofSeconds(90));
    return z;
  }

  /** Launches the server again on the same port (after {@link #kill()}); returns at once. */
  void launch() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            jar().toString(),
            // one HTTP port, on the loopback address only (Armeria's port list)
            "--armeria.ports[0].port=" + port,
            "--armeria.ports[0].ip=127.0.0.1",
            "--armeria.ports[0].protocols[0]=http"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("STORAGE_TYPE", "mem");
    process = pb.start();
  }

  /** Waits until {@code GET /health} answers {@code "status": "UP"}. */
  void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("zipkin-server exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r = get("/health");
        if (r.statusCode() == 200 && "UP".equals(JSON.readTree(r.body()).path("status").asText())) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "zipkin-server not healthy after " + timeout + ":\n" + Files.readString(log));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String connectionString() {
    return "zipkin://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET /api/v2/trace/{id}}: the trace's spans, or an empty array when Zipkin has none. */
  JsonNode trace(String traceIdHex) throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v2/trace/" + traceIdHex);
    if (r.statusCode() == 404) {
      return JSON.createArrayNode();
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET /api/v2/trace/" + traceIdHex + ": HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  /** Every span Zipkin holds (its in-memory store, newest traces first). */
  long spanCount() throws IOException, InterruptedException {
    HttpResponse<String> r =
        get("/api/v2/traces?limit=100000&lookback=86400000&endTs=" + System.currentTimeMillis());
    if (r.statusCode() != 200) {
      throw new IOException("GET /api/v2/traces: HTTP " + r.statusCode());
    }
    long n = 0;
    for (JsonNode t : JSON.readTree(r.body())) {
      n += t.size();
    }
    return n;
  }

  /** Kills the server (SIGKILL): no shutdown hook runs, what it held in memory is gone. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    kill();
  }
}
