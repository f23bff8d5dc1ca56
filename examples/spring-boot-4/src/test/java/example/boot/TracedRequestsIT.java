package example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.weft.TraceHeaders;
import dev.weft.testing.EmbeddedServers;
import dev.weft.testing.TraceTree;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs the packaged app ({@code target/app.jar}) in a child JVM with the Weft agent, against a real
 * Redis, sends it signed requests and reads back the traces that the {@code file://} collector
 * stored in {@code target/traces}: each request is one trace, a {@code wsgi} span with the
 * Hibernate session operations (and their SQL statements), the Redis commands and the pool
 * checkouts under it.
 *
 * <p>With {@code -Dweft.agent.skip=true} the app runs without the agent, and the test checks that
 * nothing was traced.
 *
 * <p>The tests run in a fixed order: the items' ids, and whether a persist fetches the next block
 * of ids from {@code item_seq}, depend on the items created before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracedRequestsIT {
  private static final String HMAC_KEY = "SECRET_KEY";
  private static final Path TARGET = Path.of("target");
  private static final Path TRACES = TARGET.resolve("traces").toAbsolutePath();
  private static final String STORE = "file://" + TRACES;
  private static final boolean AGENT_SKIPPED = Boolean.getBoolean("weft.agent.skip");

  private static Process app;
  private static Path appLog;
  private static String baseUrl;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    deleteTraces();
    int redisPort = EmbeddedServers.redisPort(); // a real redis-server, stopped at JVM exit

    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!AGENT_SKIPPED) {
      Path agent = Path.of(System.getProperty("weft.agent.jar", "target/weft-agent.jar"));
      assertThat(agent).as("the Weft agent").isRegularFile();
      command.add("-javaagent:" + agent.toAbsolutePath());
    }
    command.add("-Dweft.enabled=true");
    command.add("-Dweft.hmac_keys=" + HMAC_KEY);
    command.add("-Dweft.trace.sql=true");
    command.add("-Dweft.trace.redis=true");
    command.add("-Dweft.connection_string=" + STORE);
    command.add("-jar");
    command.add(System.getProperty("app.jar", "target/app.jar"));
    command.add("--server.port=" + port);
    command.add("--spring.data.redis.port=" + redisPort);

    appLog = TARGET.resolve("app.log");
    app =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(appLog.toFile())
            .start();
    awaitPort(port, Duration.ofSeconds(90));
    baseUrl = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.destroy();
      app.waitFor();
    }
  }

  @Test
  @Order(1)
  void get() throws Exception {
    long id = create("apple");
    Traced r = send("GET", "/items/" + id, null);
    assertThat(r.response().statusCode()).isEqualTo(200);
    assertThat(r.response().body()).isEqualTo("apple (cached: apple)");

    TraceTree t = traceOf(r);
    if (t == null) {
      return;
    }
    assertThat(t.render(TraceTree::nameAndInfo))
        .isEqualTo(
            """
            wsgi {"request":{"path":"/items/%d","query":"","method":"GET","scheme":"http"}}
              pooling {"pooling":{"pool":"HikariPool-1","wait_micros":%s}}
              hibernate {"db":{"operation":"find","entity":"example.boot.Item"}}
                db {"db":{"system":"h2","statement":"select i1_0.id,i1_0.name from item i1_0 where i1_0.id=?"}}
              hibernate {"db":{"operation":"commit"}}
              pooling {"pooling":{"pool":"pool","wait_micros":%s}}
              redis {"db":{"system":"redis","operation":"GET","key":"item:%d"}}
            """
                .formatted(id, waitMicros(t, 1), waitMicros(t, 5), id));
    assertOneRequest(t, r, 200);
  }

  @Test
  @Order(2)
  void post() throws Exception {
    Traced r = send("POST", "/items", "pear");
    assertThat(r.response().statusCode()).isEqualTo(201);
    assertThat(r.response().body()).matches("\\d+");
    long id = Long.parseLong(r.response().body());

    TraceTree t = traceOf(r);
    if (t == null) {
      return;
    }
    assertThat(t.render(TraceTree::nameAndInfo))
        .isEqualTo(
            """
            wsgi {"request":{"path":"/items","query":"","method":"POST","scheme":"http"}}
              pooling {"pooling":{"pool":"HikariPool-1","wait_micros":%s}}
              hibernate {"db":{"operation":"persist","entity":"example.boot.Item"}}
                db {"db":{"system":"h2","statement":"select next value for item_seq"}}
              hibernate {"db":{"operation":"commit"}}
                db {"db":{"system":"h2","statement":"insert into item (name,id) values (?,?)"}}
              pooling {"pooling":{"pool":"pool","wait_micros":%s}}
              redis {"db":{"system":"redis","operation":"SET","key":"item:%d"}}
            """
                .formatted(waitMicros(t, 1), waitMicros(t, 6), id));
    assertOneRequest(t, r, 201);
  }

  /** Spring Data's save of a detached item is a merge: a select, then an update at commit. */
  @Test
  @Order(3)
  void patch() throws Exception {
    long id = create("plum");
    Traced r = send("PATCH", "/items/" + id, "damson");
    assertThat(r.response().statusCode()).isEqualTo(200);
    assertThat(r.response().body()).isEqualTo("damson");

    TraceTree t = traceOf(r);
    if (t == null) {
      return;
    }
    assertThat(t.render(TraceTree::nameAndInfo))
        .isEqualTo(
            """
            wsgi {"request":{"path":"/items/%d","query":"","method":"PATCH","scheme":"http"}}
              pooling {"pooling":{"pool":"HikariPool-1","wait_micros":%s}}
              hibernate {"db":{"operation":"find","entity":"example.boot.Item"}}
                db {"db":{"system":"h2","statement":"select i1_0.id,i1_0.name from item i1_0 where i1_0.id=?"}}
              hibernate {"db":{"operation":"commit"}}
              pooling {"pooling":{"pool":"HikariPool-1","wait_micros":%s}}
              hibernate {"db":{"operation":"merge","entity":"example.boot.Item"}}
                db {"db":{"system":"h2","statement":"select i1_0.id,i1_0.name from item i1_0 where i1_0.id=?"}}
              hibernate {"db":{"operation":"commit"}}
                db {"db":{"system":"h2","statement":"update item set name=? where id=?"}}
              pooling {"pooling":{"pool":"pool","wait_micros":%s}}
              redis {"db":{"system":"redis","operation":"SET","key":"item:%d"}}
            """
                .formatted(id, waitMicros(t, 1), waitMicros(t, 5), waitMicros(t, 10), id));
    assertOneRequest(t, r, 200);
  }

  /** The agent started, and added its integrations to the loader of the fat jar's classes. */
  @Test
  @Order(4)
  void agentLog() throws Exception {
    String log = Files.readString(appLog);
    if (AGENT_SKIPPED) {
      assertThat(log).doesNotContain("weft-agent");
      return;
    }
    assertThat(log)
        .contains("weft-agent " + System.getProperty("weft.version") + ": enabled=true, ")
        .contains(
            "weft-agent: servlet, hibernate, hikaricp, commons-pool2, jedis added to"
                + " org.springframework.boot.loader.launch.LaunchedClassLoader");
  }

  /** A response to a signed request, and the base_id it was signed with. */
  record Traced(HttpResponse<String> response, String baseId) {}

  /** Sends a request signed as the root of a new trace. */
  private static Traced send(String method, String path, String body) throws Exception {
    String baseId = UUID.randomUUID().toString();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    for (Map.Entry<String, String> h : TraceHeaders.sign(baseId, baseId, HMAC_KEY).entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "text/plain").method(method, BodyPublishers.ofString(body));
    }
    return new Traced(http.send(request.build(), BodyHandlers.ofString()), baseId);
  }

  /** Creates an item with an unsigned request, which starts no trace. */
  private static long create(String name) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/items"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "text/plain")
            .POST(BodyPublishers.ofString(name))
            .build();
    HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    return Long.parseLong(response.body());
  }

  /**
   * The stored trace of a signed request, once complete; without the agent, checks that nothing
   * was stored and returns null.
   */
  private static TraceTree traceOf(Traced r) throws Exception {
    if (AGENT_SKIPPED) {
      assertThat(TraceTree.read(STORE, r.baseId()).eventCount()).isZero();
      return null;
    }
    return TraceTree.await(STORE, r.baseId(), Duration.ofSeconds(15));
  }

  /** One tree, whose root is the request's span: a child of the caller's, with its status. */
  private static void assertOneRequest(TraceTree t, Traced r, int status) {
    assertThat(t.roots()).hasSize(1);
    TraceTree.Span root = t.roots().get(0);
    assertThat(root.parentId()).isEqualTo(r.baseId());
    assertThat(root.stopInfo().path("response").path("status").asInt()).isEqualTo(status);
  }

  /** The wait of the pooling span at {@code index} (depth first), which differs per run. */
  private static String waitMicros(TraceTree t, int index) {
    List<TraceTree.Span> all = t.all();
    if (index >= all.size() || all.get(index).startInfo() == null) {
      return "?";
    }
    return all.get(index).startInfo().path("pooling").path("wait_micros").asText();
  }

  private static void deleteTraces() throws IOException {
    if (!Files.exists(TRACES)) {
      return;
    }
    try (Stream<Path> files = Files.walk(TRACES)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() {
    return EmbeddedServers.freePort();
  }

  private static void awaitPort(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        fail("the app exited with " + app.exitValue() + ":\n" + Files.readString(appLog));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    fail("the app did not answer on port " + port + " in " + timeout + ":\n"
        + Files.readString(appLog));
  }
}
