package dev.weft.testapp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's traces in the real Zipkin server: {@code demo --also-zipkin zipkin://...} sends every
 * trace the demo stored (client → queue API → MongoDB/Redis/SQL pools, Hibernate, pool checkouts →
 * webhook → subscriber, all recorded by the real integrations under the agent) to a zipkin-server
 * started here, and each trace read back from {@code /api/v2/trace/{id}} is exactly the stored one:
 * the same spans (id = the low 64 bits of the span's trace_id, parent likewise, none for a span
 * whose parent is the base id), names, services, no extra span. Skipped, saying why, without the
 * server jar.
 */
class DemoZipkinIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void everyDemoTrace_readBackFromZipkin_isTheStoredTraceSpanForSpan() throws Exception {
    Path jar = Path.of(System.getProperty("weft.zipkin.jar", "target/zipkin/zipkin-server.jar"));
    assumeTrue(Files.isRegularFile(jar), "zipkin-server jar missing (" + jar + "): skipped");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process zipkin =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("zipkin.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String api = "http://127.0.0.1:" + port;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      boolean up = false;
      while (!up && System.nanoTime() < deadline && zipkin.isAlive()) {
        try {
          HttpResponse<String> h =
              http.send(
                  HttpRequest.newBuilder(URI.create(api + "/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
          up = h.statusCode() == 200 && h.body().contains("UP");
        } catch (java.io.IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(up).as(Files.readString(work.resolve("zipkin.log"))).isTrue();

      Path traces = work.resolve("traces");
      String out =
          DemoIT.demo(
              work,
              "demo.out",
              Map.of(),
              240,
              "--traces",
              traces.toString(),
              "--also-zipkin",
              "zipkin://127.0.0.1:" + port);
      Matcher sent =
          Pattern.compile("== Zipkin: (\\d+) spans of (\\d+) traces sent to").matcher(out);
      assertThat(sent.find()).as(out).isTrue();

      Matcher ids = Pattern.compile("(?m)^Trace ID: ([0-9a-f-]{36})$").matcher(out);
      List<String> baseIds = new ArrayList<>();
      while (ids.find()) {
        baseIds.add(ids.group(1));
      }
      assertThat(baseIds).hasSize(Integer.parseInt(sent.group(2)));
      int spans = 0;
      Set<String> services = new TreeSet<>();
      Set<String> names = new TreeSet<>();
      for (String base : baseIds) {
        Set<String> stored = stored(traces.resolve(base + ".jsonl"), base);
        spans += stored.size();
        String hex = base.replace("-", "");
        Set<String> inZipkin = new TreeSet<>();
        // Zipkin indexes asynchronously: ask until the whole trace is there (or time runs out).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(api + "/api/v2/trace/" + hex)).build(),
                  HttpResponse.BodyHandlers.ofString());
          inZipkin.clear();
          if (r.statusCode() == 200) {
            for (JsonNode s : JSON.readTree(r.body())) {
              assertThat(s.path("traceId").asText()).isEqualTo(hex);
              inZipkin.add(
                  s.path("id").asText()
                      + " <- "
                      + s.path("parentId").asText("-")
                      + " "
                      + s.path("name").asText()
                      + " ["
                      + s.path("localEndpoint").path("serviceName").asText()
                      + "]");
              services.add(s.path("localEndpoint").path("serviceName").asText());
              names.add(s.path("name").asText());
            }
          }
        } while (!inZipkin.equals(stored) && System.nanoTime() < until && sleep());
        assertThat(inZipkin).as("trace %s in Zipkin", base).isEqualTo(stored);
      }
      assertThat(spans).isEqualTo(Integer.parseInt(sent.group(1)));
      assertThat(services).contains("client", "queue-api", "subscriber");
      assertThat(names).contains("wsgi", "http", "mongodb", "redis", "db", "hibernate", "pooling");
    } finally {
      zipkin.destroy();
      zipkin.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(250);
    return true;
  }

  /** The trace's spans as Zipkin must show them: "id <- parent name [service]". */
  static Set<String> stored(Path jsonl, String base) throws Exception {
    Set<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode e = JSON.readTree(line);
      String name = e.path("name").asText();
      if (!name.endsWith("-start")) {
        continue;
      }
      String parent = e.path("parent_id").asText();
      out.add(
          low64(e.path("trace_id").asText())
              + " <- "
              + (parent.equals(base) ? "-" : low64(parent))
              + " "
              + name.substring(0, name.length() - "-start".length()).toLowerCase(Locale.ROOT)
              + " ["
              + e.path("service").asText()
              + "]");
    }
    return out;
  }

  /** The low 64 bits of a UUID, as 16 hex digits. */
  static String low64(String uuid) {
    return uuid.replace("-", "").substring(16);
  }
}
