package dev.weft.testapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.TraceHeaders;
import dev.weft.testapp.Main;
import dev.weft.testapp.api.ApiService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code client} command: every operation against the real API, and {@code --profile}. */
class ClientCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ApiService api;
  static Server recorder;
  static final List<Map<String, String>> seenHeaders = new ArrayList<>();

  /** What one command printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    api =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl("jdbc:h2:mem:client-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    // A real Jetty that records the trace headers it receives and answers 204.
    recorder = new Server();
    ServerConnector c = new ServerConnector(recorder);
    c.setHost("127.0.0.1");
    recorder.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void service(HttpServletRequest req, HttpServletResponse resp) {
                synchronized (seenHeaders) {
                  seenHeaders.add(
                      java.util.Collections.unmodifiableMap(
                          new java.util.LinkedHashMap<>(headersOf(req))));
                }
                resp.setStatus(204);
              }
            }),
        "/*");
    recorder.setHandler(ctx);
    recorder.start();
  }

  static Map<String, String> headersOf(HttpServletRequest req) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String h :
        List.of(
            TraceHeaders.X_TRACE_INFO,
            TraceHeaders.X_TRACE_HMAC,
            TraceHeaders.TRACEPARENT,
            TraceHeaders.X_WEFT_TRACE_CATEGORIES,
            TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC)) {
      if (req.getHeader(h) != null) {
        m.put(h, req.getHeader(h));
      }
    }
    return m;
  }

  @AfterAll
  static void stop() throws Exception {
    recorder.stop();
    api.close();
  }

  static Run client(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("client", "--url", api.baseUri().toString()));
    all.addAll(List.of(args));
    int exit = cl.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void everyOperationWorksFromTheCommandLine() throws Exception {
    String sqlPool = "jdbc:h2:mem:client-msgs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    assertThat(client("pool-register", "p1", sqlPool, "--weight", "7").exit()).isZero();
    Run pools = client("pool-list");
    assertThat(json(pools.out()).path("pools").get(0).path("weight").asInt()).isEqualTo(7);
    assertThat(client("queue-create", "cli-q", "--metadata", "{\"a\": 1}").exit()).isZero();
    assertThat(json(client("queue-list").out()).path("queues").get(0).path("name").asText())
        .isEqualTo("cli-q");
    assertThat(json(client("queue-get", "cli-q").out()))
        .isEqualTo(
            json(
                "{\"a\": 1, \"_max_messages_post_size\": 262144, \"_default_message_ttl\":"
                    + " 3600, \"_default_message_delay\": 0, \"_dead_letter_queue\": null,"
                    + " \"_dead_letter_queue_messages_ttl\": null, \"_max_claim_count\": null,"
                    + " \"_enable_encrypt_messages\": false}"));
    assertThat(api.management().queue("cli-q").getPool()).isEqualTo("p1");

    Run posted = client("message-post", "cli-q", "{\"k\": \"v\"}", "plain text", "--ttl", "120");
    assertThat(posted.exit()).isZero();
    JsonNode res = json(posted.out()).path("resources");
    assertThat(res).hasSize(2);
    String id = res.get(1).asText().substring(res.get(1).asText().lastIndexOf('/') + 1);
    JsonNode listed = json(client("message-list", "cli-q", "--limit", "5").out());
    assertThat(listed.path("messages").get(0).path("body")).isEqualTo(json("{\"k\":\"v\"}"));
    assertThat(listed.path("messages").get(1).path("body").asText()).isEqualTo("plain text");
    assertThat(listed.path("messages").get(1).path("ttl").asInt()).isEqualTo(120);
    assertThat(json(client("message-get", "cli-q", id).out()).path("id").asText()).isEqualTo(id);
    assertThat(client("message-delete", "cli-q", id).exit()).isZero();
    assertThat(json(client("message-list", "cli-q").out()).path("messages")).hasSize(1);

    // Claims: the claimed message leaves the listing until the claim is released.
    Run claimed = client("claim-create", "cli-q", "--ttl", "60", "--grace", "60", "--limit", "1");
    assertThat(claimed.exit()).isZero();
    String href = json(claimed.out()).path("messages").get(0).path("href").asText();
    String claim = href.substring(href.indexOf("?claim_id=") + "?claim_id=".length());
    assertThat(json(client("message-list", "cli-q").out()).path("messages")).isEmpty();
    assertThat(json(client("message-list", "cli-q", "--include-claimed").out()).path("messages"))
        .hasSize(1);
    assertThat(json(client("claim-get", "cli-q", claim).out()).path("ttl").asInt()).isEqualTo(60);
    assertThat(client("claim-update", "cli-q", claim, "--ttl", "120").exit()).isZero();
    assertThat(json(client("claim-get", "cli-q", claim).out()).path("ttl").asInt()).isEqualTo(120);
    assertThat(json(client("queue-stats", "cli-q").out()).path("messages").path("claimed").asInt())
        .isEqualTo(1);
    assertThat(client("claim-delete", "cli-q", claim).exit()).isZero();
    assertThat(json(client("message-list", "cli-q").out()).path("messages")).hasSize(1);

    Run sub = client("subscription-create", "cli-q", "http://127.0.0.1:9/hook", "--ttl", "600");
    assertThat(sub.exit()).isZero();
    String subId = json(sub.out()).path("subscription_id").asText();
    assertThat(
            json(client("subscription-list", "cli-q").out())
                .path("subscriptions")
                .get(0)
                .path("id")
                .asText())
        .isEqualTo(subId);
    assertThat(client("queue-delete", "cli-q").exit()).isZero();
    assertThat(json(client("queue-list").out()).path("queues")).isEmpty();
  }

  @Test
  void anHttpErrorExitsOneWithTheErrorOnStderr() throws Exception {
    Run r = client("message-get", "nowhere", "some-id");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "HTTP 404 Not found: Queue nowhere does not exist for project weft-test-app"
                + System.lineSeparator());
    assertThat(json(r.out()))
        .isEqualTo(
            json(
                "{\"title\":\"Not found\",\"description\":\"Queue nowhere does not exist for"
                    + " project weft-test-app\"}"));
  }

  @Test
  void profileWithTracingOff_saysSoAndSendsNoTraceHeaders() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    String url =
        "http://127.0.0.1:" + ((ServerConnector) recorder.getConnectors()[0]).getLocalPort();
    synchronized (seenHeaders) {
      seenHeaders.clear();
    }
    dev.weft.Weft.set("weft.enabled", "false");
    try {
      assertThat(cl.execute("client", "--url", url, "--profile", "secret-key", "queue-delete", "x"))
          .isZero();
    } finally {
      dev.weft.Weft.resetRuntimeChanges();
    }
    assertThat(err.toString())
        .isEqualTo(
            "weft: profiling is off: tracing is disabled in this process; set weft.enabled=true"
                + " (-Dweft.enabled=true or WEFT_ENABLED=true) to profile"
                + System.lineSeparator());
    assertThat(seenHeaders).hasSize(1);
    assertThat(seenHeaders.get(0)).doesNotContainKey(TraceHeaders.X_TRACE_INFO);
  }

  @Test
  void profileSignsEveryRequestAndPrintsTheTraceId() throws Exception {
    dev.weft.Weft.set("weft.connection_string", "memory://");
    dev.weft.Weft.set("weft.enabled", "true");
    try {
      profileSigns();
    } finally {
      dev.weft.Weft.resetRuntimeChanges();
    }
  }

  private void profileSigns() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String url =
        "http://127.0.0.1:" + ((ServerConnector) recorder.getConnectors()[0]).getLocalPort();
    synchronized (seenHeaders) {
      seenHeaders.clear();
    }
    int exit = cl.execute("client", "--url", url, "--profile", "secret-key", "queue-delete", "x");
    assertThat(exit).isZero();
    Matcher m =
        Pattern.compile(
                "Trace ID: ([0-9a-f-]{36})\\R"
                    + "Display trace with command: weft trace show --html \\1\\R")
            .matcher(err.toString());
    assertThat(m.matches()).as(err.toString()).isTrue();
    String base = m.group(1);
    assertThat(seenHeaders).hasSize(1);
    Map<String, String> h = seenHeaders.get(0);
    TraceHeaders.Verified v =
        TraceHeaders.verify(
            h.get(TraceHeaders.X_TRACE_INFO),
            h.get(TraceHeaders.X_TRACE_HMAC),
            List.of("secret-key"));
    assertThat(v).isNotNull();
    assertThat(v.baseId()).isEqualTo(base);
    assertThat(h.get(TraceHeaders.TRACEPARENT)).startsWith("00-" + base.replace("-", "") + "-");
    assertThat(
            TraceHeaders.verify(
                h.get(TraceHeaders.X_TRACE_INFO),
                h.get(TraceHeaders.X_TRACE_HMAC),
                List.of("other")))
        .isNull();
  }

  @Test
  void traceCategories_areSentSignedForEachRequest_andABadOneIsAUsageError() throws Exception {
    dev.weft.Weft.set("weft.connection_string", "memory://");
    dev.weft.Weft.set("weft.enabled", "true");
    String url =
        "http://127.0.0.1:" + ((ServerConnector) recorder.getConnectors()[0]).getLocalPort();
    try {
      StringWriter err = new StringWriter();
      CommandLine cl = new CommandLine(new Main());
      cl.setOut(new PrintWriter(new StringWriter(), true));
      cl.setErr(new PrintWriter(err, true));
      synchronized (seenHeaders) {
        seenHeaders.clear();
      }
      int exit =
          cl.execute(
              "client",
              "--url",
              url,
              "--profile",
              "secret-key",
              "--trace-categories",
              "sql,redis",
              "queue-delete",
              "x");
      assertThat(exit).isZero();
      Matcher m =
          Pattern.compile("Trace ID: ([0-9a-f-]{36})\\R.*", Pattern.DOTALL).matcher(err.toString());
      assertThat(m.matches()).as(err.toString()).isTrue();
      String base = m.group(1);
      assertThat(seenHeaders).hasSize(1);
      Map<String, String> h = seenHeaders.get(0);
      TraceHeaders.Verified v =
          TraceHeaders.verify(
              h.get(TraceHeaders.X_TRACE_INFO),
              h.get(TraceHeaders.X_TRACE_HMAC),
              List.of("secret-key"));
      assertThat(v.baseId()).isEqualTo(base);
      // the categories, signed with the key for this request's X-Trace-Info
      Map<String, String> expected =
          TraceHeaders.sign(base, v.parentId(), "secret-key", "sql", "redis");
      assertThat(h.get(TraceHeaders.X_TRACE_INFO))
          .isEqualTo(expected.get(TraceHeaders.X_TRACE_INFO));
      assertThat(h.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES)).isEqualTo("redis,sql");
      assertThat(h.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC))
          .isEqualTo(expected.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC));

      for (String[] args :
          new String[][] {
            {"--profile", "secret-key", "--trace-categories", "sql,db"},
            {"--trace-categories", "sql"},
          }) {
        StringWriter bad = new StringWriter();
        CommandLine c2 = new CommandLine(new Main());
        c2.setOut(new PrintWriter(new StringWriter(), true));
        c2.setErr(new PrintWriter(bad, true));
        List<String> argv = new java.util.ArrayList<>(List.of("client", "--url", url));
        argv.addAll(List.of(args));
        argv.addAll(List.of("queue-delete", "x"));
        assertThat(c2.execute(argv.toArray(new String[0]))).isEqualTo(2);
        assertThat(bad.toString())
            .startsWith(
                args[0].equals("--profile")
                    ? "unknown trace category 'db': a trace can ask for annotated, http, mongodb,"
                        + " redis, sql, pooling, async"
                    : "--trace-categories needs --profile KEY");
      }
    } finally {
      dev.weft.Weft.resetRuntimeChanges();
    }
  }

  @Test
  void withoutProfileNoTraceHeadersAreSent() {
    String url =
        "http://127.0.0.1:" + ((ServerConnector) recorder.getConnectors()[0]).getLocalPort();
    synchronized (seenHeaders) {
      seenHeaders.clear();
    }
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("client", "--url", url, "queue-delete", "x")).isZero();
    assertThat(seenHeaders).containsExactly(Map.of());
    assertThat(err.toString()).isEmpty();
  }
}
