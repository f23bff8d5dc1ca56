package example.ctw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TraceHeaders;
import dev.weft.testing.EmbeddedServers;
import dev.weft.testing.TraceTree;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service as built, started with no agent and no weaver: as a fat jar and on its plain class
 * path (the woven classes of target/classes ahead of the original driver jars). One signed request
 * is one trace: the servlet entry with the pool checkout and the Redis command as its children, as
 * the agent records them.
 */
class BuildTimeWovenIT {
  static final String KEY = "SECRET_KEY";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static int redisPort;

  @BeforeAll
  static void startRedis() {
    redisPort = EmbeddedServers.redisPort(); // a real redis-server, stopped when the JVM exits
  }

  @Test
  void theClassPathHasNoWeaver() {
    for (String entry : System.getProperty("app.classpath").split(File.pathSeparator)) {
      assertThat(Path.of(entry).getFileName().toString()).doesNotStartWith("aspectjweaver");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fat-jar", "class-path"})
  void oneSignedRequest_isTheEntrySpanWithItsPoolAndRedisChildren(String mode) throws Exception {
    Path traces = Files.createTempDirectory("weft-traces");
    int port = EmbeddedServers.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dweft.enabled=true");
    cmd.add("-Dweft.hmac_keys=" + KEY);
    cmd.add("-Dweft.trace.redis=true");
    cmd.add("-Dweft.connection_string=file://" + traces);
    if (mode.equals("fat-jar")) {
      cmd.addAll(List.of("-jar", System.getProperty("app.jar")));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("app.classpath"), "example.ctw.Main"));
    }
    cmd.addAll(List.of(Integer.toString(port), Integer.toString(redisPort)));
    File log = new File("target/app-" + mode + ".log");
    Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    try {
      awaitPort(app, port, log);
      String baseId = UUID.randomUUID().toString();
      String topic = "weaving-" + mode;
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/votes/" + topic))
              .PUT(HttpRequest.BodyPublishers.noBody());
      for (Map.Entry<String, String> h : TraceHeaders.sign(baseId, baseId, KEY).entrySet()) {
        req.header(h.getKey(), h.getValue());
      }
      HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(topic + " 1");

      TraceTree t = TraceTree.await("file://" + traces, baseId, Duration.ofSeconds(15));
      assertThat(t.render(TraceTree::nameAndInfo))
          .isEqualTo(
              """
              wsgi {"request":{"path":"/votes/%s","query":"","method":"PUT","scheme":"http"}}
                pooling {"pooling":{"pool":"pool","wait_micros":%s}}
                redis {"db":{"system":"redis","operation":"HINCRBY","key":"votes"}}
              """
                  .formatted(topic, t.all().get(1).startInfo().path("pooling").path("wait_micros")));
      TraceTree.Span entry = t.roots().get(0);
      assertThat(entry.parentId()).isEqualTo(baseId);
      assertThat(entry.children()).extracting(TraceTree.Span::parentId)
          .containsExactly(entry.id(), entry.id());
      assertThat(entry.stopInfo().path("response").path("status").asInt()).isEqualTo(200);
      assertThat(t.all().get(1).startInfo().path("pooling").path("wait_micros").isIntegralNumber())
          .isTrue();
      assertThat(Files.readString(log.toPath())).doesNotContain("weft-agent");
    } finally {
      app.destroy();
      app.waitFor();
    }
  }

  static void awaitPort(Process app, int port, File log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        throw new AssertionError("the service exited:\n" + Files.readString(log.toPath()));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the service did not listen:\n" + Files.readString(log.toPath()));
  }
}
