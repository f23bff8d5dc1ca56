package example.agent;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service started with {@code -javaagent:weft-agent.jar} and nothing else of Weft's: as a fat
 * jar ({@code java -jar app.jar}), on a plain class path, and as a web application whose Jedis is
 * in its own {@code WEB-INF/lib} (Jetty's child-first web-app class loader). Each time, one signed
 * request is one trace whose servlet entry has the Redis commands, and the pool checkouts before
 * them, as children.
 */
class AgentOnlyIT {
  static final String KEY = "SECRET_KEY";
  static int redisPort;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startRedis() {
    redisPort = EmbeddedServers.redisPort(); // a real redis-server, stopped when the JVM exits
  }

  static int freePort() {
    return EmbeddedServers.freePort();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fat-jar", "class-path", "webapp", "prepared"})
  void oneSignedRequest_isTheEntrySpanWithItsRedisChildren(String mode) throws Exception {
    Path traces = Files.createTempDirectory("weft-traces");
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + System.getProperty("weft.agent.jar"));
    cmd.add("-Dweft.enabled=true");
    cmd.add("-Dweft.hmac_keys=" + KEY);
    cmd.add("-Dweft.trace.redis=true");
    cmd.add("-Dweft.connection_string=file://" + traces);
    Path classLoading = Path.of("target/class-load-" + mode + ".log").toAbsolutePath();
    if (mode.equals("prepared")) {
      Path tmp = Files.createTempDirectory("weft-tmp");
      prepare(tmp);
      cmd.add("-Djava.io.tmpdir=" + tmp);
      cmd.add("-Xlog:class+load:file=" + classLoading);
    }
    if (mode.equals("fat-jar") || mode.equals("prepared")) {
      cmd.add("-jar");
      cmd.add(System.getProperty("app.jar"));
      cmd.add(Integer.toString(port));
      cmd.add(Integer.toString(redisPort));
    } else if (mode.equals("class-path")) {
      cmd.add("-cp");
      cmd.add(System.getProperty("app.classpath"));
      cmd.add("example.agent.Main");
      cmd.add(Integer.toString(port));
      cmd.add(Integer.toString(redisPort));
    } else {
      cmd.add("-Dredis.port=" + redisPort);
      cmd.add("-cp");
      cmd.add(serverClassPath());
      cmd.add("example.agent.WebApp");
      cmd.add(Integer.toString(port));
      cmd.add(webApp().toString());
    }
    File log = new File("target/app-" + mode + ".log");
    Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    try {
      awaitPort(app, port, log);
      String baseId = UUID.randomUUID().toString();
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items/" + mode + "?page=2"));
      for (Map.Entry<String, String> h : TraceHeaders.sign(baseId, baseId, KEY).entrySet()) {
        req.header(h.getKey(), h.getValue());
      }
      HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(mode + "=null hits=1");

      TraceTree t = TraceTree.await("file://" + traces, baseId, Duration.ofSeconds(15));
      assertThat(t.render(TraceTree::nameAndInfo))
          .isEqualTo(
              """
              wsgi {"request":{"path":"/items/%s","query":"page=?","method":"GET","scheme":"http"}}
                pooling {"pooling":{"pool":"pool","wait_micros":%s}}
                redis {"db":{"system":"redis","operation":"INCR","key":"hits:%s"}}
                pooling {"pooling":{"pool":"pool","wait_micros":%s}}
                redis {"db":{"system":"redis","operation":"GET","key":"item:%s"}}
              """
                  .formatted(
                      mode,
                      t.all().get(1).startInfo().path("pooling").path("wait_micros"),
                      mode,
                      t.all().get(3).startInfo().path("pooling").path("wait_micros"),
                      mode));
      TraceTree.Span entry = t.roots().get(0);
      assertThat(entry.parentId()).isEqualTo(baseId);
      assertThat(entry.stopInfo().path("response").path("status").asInt()).isEqualTo(200);
      String started =
          mode.equals("webapp")
              ? "integrations with their driver: servlet;"
              : "integrations with their driver: servlet, commons-pool2, jedis;";
      assertThat(Files.readString(log.toPath()))
          .contains("weft-agent 0.1.0-SNAPSHOT: enabled=true, " + started);
      if (mode.equals("prepared")) {
        // Every woven class came from what the preparing JVM kept: the weaver never started.
        assertThat(Files.readString(classLoading))
            .contains("example.agent.Main ")
            .doesNotContain("org.aspectj.weaver.loadtime.ClassLoaderWeavingAdaptor ");
      }
      if (mode.equals("webapp")) {
        assertThat(Files.readString(log.toPath()))
            .contains(
                "weft-agent: commons-pool2, jedis added to"
                    + " org.eclipse.jetty.ee.webapp.WebAppClassLoader");
      }
    } finally {
      app.destroy();
      app.waitFor();
    }
  }

  /**
   * Weaves ahead into {@code tmp}: the fat jar's command with {@code -Dweft.agent.prepare=true},
   * which keeps the woven driver classes and ends before the application starts.
   */
  static void prepare(Path tmp) throws Exception {
    File log = new File("target/app-prepare.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + System.getProperty("weft.agent.jar"),
                "-Djava.io.tmpdir=" + tmp,
                "-Dweft.agent.prepare=true",
                "-jar",
                System.getProperty("app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log.toPath());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("weft-agent: weft.agent.prepare: ", "; the application was not started")
        .doesNotContain("listening");
  }

  /** The class path entries that belong to the web application (Jedis and what it needs). */
  static boolean webAppJar(String entry) {
    String e = entry.replace('\\', '/');
    return e.contains("/redis/clients/")
        || e.contains("/org/apache/commons/commons-pool2/")
        || e.contains("/com/google/code/gson/")
        || e.contains("/com/google/errorprone/")
        || e.contains("/org/json/");
  }

  /** Jetty and the launcher, without Jedis: what the container's class path holds. */
  static String serverClassPath() {
    List<String> server = new ArrayList<>();
    for (String e : System.getProperty("app.classpath").split(File.pathSeparator)) {
      if (!webAppJar(e)) {
        server.add(e);
      }
    }
    return String.join(File.pathSeparator, server);
  }

  /** A web application directory: web.xml, the servlet class and Jedis in WEB-INF/lib. */
  static Path webApp() throws IOException {
    Path dir = Files.createTempDirectory("weft-webapp");
    Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
    try (var in = AgentOnlyIT.class.getResourceAsStream("/webapp/WEB-INF/web.xml")) {
      Files.copy(in, webInf.resolve("web.xml"));
    }
    Path classes = Files.createDirectories(webInf.resolve("classes/example/agent"));
    Files.copy(
        Path.of("target/classes/example/agent/WebItemServlet.class"),
        classes.resolve("WebItemServlet.class"));
    Path lib = Files.createDirectories(webInf.resolve("lib"));
    for (String e : System.getProperty("app.classpath").split(File.pathSeparator)) {
      if (webAppJar(e)) {
        Files.copy(Path.of(e), lib.resolve(Path.of(e).getFileName()));
      }
    }
    return dir;
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
