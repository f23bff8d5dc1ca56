package dev.weft.it.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.it.openstack.app.CallingServlet;
import dev.weft.it.openstack.app.LeafServlet;
import dev.weft.testing.EmbeddedServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * Weft → OSProfiler → Weft: a Java service (Jetty, woven servlet entry and JDK HttpClient) calls a
 * Python service (OSProfiler's WsgiMiddleware and its Redis notifier), which calls a second Java
 * service back. All three store into one Redis; the trace is one tree with every parent link across
 * the services, and both command lines show it byte-identically.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossServiceTraceTest {
  static final String KEY = "cross-service-key";

  Server jetty;
  Process python;
  String cs;
  int jettyPort;

  @BeforeAll
  void start() throws Exception {
    String why = Osprofiler.unavailable();
    assumeTrue(why == null, "OSProfiler interop skipped: " + why);
    int redisPort = EmbeddedServers.redisPort();
    try (Jedis j = new Jedis("127.0.0.1", redisPort)) {
      j.select(6);
      j.flushDB();
    }
    cs = "redis://127.0.0.1:" + redisPort + "/6";
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.host", "node-java");
    Weft.set("weft.connection_string", cs);

    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler b = new ServletContextHandler();
    b.setContextPath("/b");
    b.setInitParameter("weft.service", "queue-b");
    b.addServlet(LeafServlet.class, "/leaf");
    ServletContextHandler a = new ServletContextHandler();
    a.setContextPath("/a");
    a.setInitParameter("weft.service", "queue-a");
    ServletHolder calling = new ServletHolder(CallingServlet.class);
    a.addServlet(calling, "/call");
    jetty.setHandler(new Handler.Sequence(a, b));
    jetty.start();
    jettyPort = connector.getLocalPort();

    ProcessBuilder pb =
        new ProcessBuilder(
                Osprofiler.PYTHON,
                Osprofiler.script("osprofiler_service.py").toString(),
                cs,
                KEY,
                "http://127.0.0.1:" + jettyPort + "/b/leaf")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    python = pb.start();
    String first =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(first).startsWith("port ");
    calling.setInitParameter("next", "http://127.0.0.1:" + first.substring(5).trim() + "/py");
  }

  @AfterAll
  void stop() throws Exception {
    if (python != null) {
      python.getOutputStream().close();
      python.destroy();
    }
    if (jetty != null) {
      jetty.stop();
    }
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.hmac_keys", null);
    Weft.set("weft.host", null);
  }

  /** One signed request into queue-a; returns its base id once all 8 events are stored. */
  private String requestThroughTheChain() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jettyPort + "/a/call"));
    TraceHeaders.sign(base, base, KEY).forEach(r::header);
    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(Weft.flush()).isTrue();
    // queue-b's entry span ends after its answer reached Python: wait until it is stored
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events(base) < 8 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      Weft.flush();
    }
    assertThat(events(base)).isEqualTo(8);
    return base;
  }

  @Test
  void javaCallsPythonCallsJava_oneTree_everyParentLinkRight_bothToolsAgree() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> answer = call("", TraceHeaders.sign(base, base, KEY));
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode report = assertOneChain(base, "");
    assertThat(report.path("stats").path("wsgi").path("count").asInt()).isEqualTo(3);
    assertThat(report.path("stats").path("http").path("count").asInt()).isEqualTo(1);
  }

  @Test
  void aDeepRequest_passesThroughAnOsprofilerService_thatIgnoresTheCategoryHeaders()
      throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> answer = call("", TraceHeaders.sign(base, base, KEY, "sql", "redis"));
    assertThat(answer.statusCode()).isEqualTo(200);
    // queue-a passed the categories on to the Python service, which traced the request as usual
    // and did not pass them on: queue-b's trace asked for nothing
    assertThat(Osprofiler.JSON.readTree(answer.body()))
        .isEqualTo(
            Osprofiler.JSON.readTree(
                "{\"next_status\": 204, \"got_categories\": \"redis,sql\","
                    + " \"next_categories\": \"-\"}"));
    assertOneChain(base, "");
  }

  @Test
  void aPythonServiceSigningCategoriesAsTheDocsSay_isHeardByTheWeftServiceItCalls()
      throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> answer = call("?ask=sql,redis", TraceHeaders.sign(base, base, KEY));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(Osprofiler.JSON.readTree(answer.body()))
        .isEqualTo(
            Osprofiler.JSON.readTree(
                "{\"next_status\": 204, \"got_categories\": null,"
                    + " \"next_categories\": \"redis,sql\"}"));
    assertOneChain(base, "ask=?");
  }

  private HttpResponse<String> call(String query, java.util.Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jettyPort + "/a/call" + query));
    headers.forEach(r::header);
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits for the trace's 8 events, checks that both command lines show it byte-identically as one
   * chain wsgi queue-a → http queue-a → wsgi zaqar-py → wsgi queue-b with every parent link right,
   * and returns the report.
   */
  private JsonNode assertOneChain(String base, String query) throws Exception {
    assertThat(Weft.flush()).isTrue();
    // queue-b's entry span ends after its answer reached Python: wait until it is stored
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events(base) < 8 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      Weft.flush();
    }
    assertThat(events(base)).isEqualTo(8);

    String theirs =
        ReportInteropTest.osprofiler("trace", "show", "--connection-string", cs, "--json", base);
    String ours =
        ReportInteropTest.weft("trace", "show", "--connection-string", cs, "--json", base);
    assertThat(ours.getBytes(StandardCharsets.UTF_8))
        .isEqualTo(theirs.getBytes(StandardCharsets.UTF_8));

    JsonNode report = Osprofiler.JSON.readTree(ours);
    List<String> chain = new ArrayList<>();
    JsonNode node = report;
    String parent = base;
    while (node.path("children").size() > 0) {
      assertThat(node.path("children")).as("one child each: a chain").hasSize(1);
      node = node.path("children").get(0);
      assertThat(node.path("parent_id").asText()).as(chain.toString()).isEqualTo(parent);
      parent = node.path("trace_id").asText();
      chain.add(
          node.path("info").path("name").asText()
              + " "
              + node.path("info").path("service").asText());
    }
    assertThat(chain)
        .containsExactly("wsgi queue-a", "http queue-a", "wsgi zaqar-py", "wsgi queue-b");
    JsonNode aEntry = report.path("children").get(0);
    JsonNode aRequest = aEntry.path("info").path("meta.raw_payload.wsgi-start").path("info");
    assertThat(aRequest.path("request"))
        .isEqualTo(
            Osprofiler.JSON.readTree(
                "{\"path\": \"/a/call\", \"query\": \""
                    + query
                    + "\", \"method\": \"GET\", \"scheme\": \"http\"}"));
    return report;
  }

  private long events(String base) {
    try (Jedis j = new Jedis(URI.create(cs).getHost(), URI.create(cs).getPort())) {
      j.select(6);
      return j.llen("osprofiler_opt:" + base);
    }
  }
}
