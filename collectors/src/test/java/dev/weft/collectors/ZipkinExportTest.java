package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.collectors.internal.ZipkinExporter;
import dev.weft.internal.collect.Collectors;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.pipeline.Timestamps;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code zipkin://} against an endpoint started in the test (the JDK's HTTP server on {@code POST
 * /api/v2/spans}): every body is un-gzipped and read as Zipkin's JSON v2, and each span compared as
 * a whole: ids, parent links, kinds, times, local and remote endpoints, tags. The real Zipkin
 * server and its UI are checked in the it-zipkin module.
 */
class ZipkinExportTest {
  private static HttpServer server;
  private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
  private static final List<String> HEADERS = new CopyOnWriteArrayList<>();
  private static volatile int status = 202;
  private static String cs;

  @BeforeAll
  static void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v2/spans",
        ex -> {
          try (InputStream raw = ex.getRequestBody()) {
            InputStream in =
                "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(raw)
                    : raw;
            HEADERS.add(
                ex.getRequestMethod()
                    + " "
                    + ex.getRequestHeaders().getFirst("Content-Type")
                    + " | "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            RECEIVED.add(TestSupport.MAPPER.readTree(in.readAllBytes()));
            ex.sendResponseHeaders(status, -1);
          }
        });
    server.start();
    cs = "zipkin://127.0.0.1:" + server.getAddress().getPort();
    dev.weft.Weft.set("weft.enabled", "true");
    dev.weft.Weft.set("weft.connection_string", "memory://");
  }

  @AfterAll
  static void stopEndpoint() {
    dev.weft.Weft.resetRuntimeChanges();
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    RECEIVED.clear();
    HEADERS.clear();
    status = 202;
  }

  private static final String BASE = "5f1c0a4e-8b7d-4c2a-9e11-3d2f6a7b8c90";
  private static final String SERVLET = "a1b2c3d4-0000-4000-8000-00000000000a";
  private static final String MONGO = "a1b2c3d4-0000-4000-8000-00000000000b";
  private static final String REDIS = "a1b2c3d4-0000-4000-8000-00000000000c";
  private static final String SQL = "a1b2c3d4-0000-4000-8000-00000000000d";
  private static final String HTTP = "a1b2c3d4-0000-4000-8000-00000000000e";
  private static final String REMOTE_PARENT = "0f0e0d0c-0b0a-4908-8706-050403020100";

  private interface Info {
    void write(JsonWriter w);
  }

  private static final Info NONE = w -> {};

  private static Event event(String name, String id, String parent, String ts, Info info) {
    JsonWriter w = new JsonWriter();
    w.beginObject()
        .field("name", name)
        .field("base_id", BASE)
        .field("trace_id", id)
        .field("parent_id", parent)
        .field("timestamp", ts)
        .beginObject("info");
    info.write(w);
    w.field("host", "node-7").endObject().field("project", "zaqar").field("service", "queues");
    w.endObject();
    return new Event(
        BASE, name, w.toString(), ts, name.endsWith("-stop") && w.toString().contains("etype"));
  }

  /** Spans as Weft's integrations record them, children first, each start followed by its stop. */
  private static List<Event> categoryEvents() {
    List<Event> b = new ArrayList<>();
    b.add(
        event(
            "mongodb-start",
            MONGO,
            SERVLET,
            "2025-03-04T05:06:07.100100",
            w ->
                w.beginObject("db")
                    .field("system", "mongodb")
                    .field("namespace", "zaqar")
                    .field("collection", "messages")
                    .field("operation", "find")
                    .field("statement", "{\"queue\": ?}")
                    .endObject()));
    b.add(event("mongodb-stop", MONGO, SERVLET, "2025-03-04T05:06:07.100900", NONE));
    b.add(
        event(
            "redis-start",
            REDIS,
            SERVLET,
            "2025-03-04T05:06:07.101000",
            w ->
                w.beginObject("db")
                    .field("system", "redis")
                    .field("operation", "LPUSH")
                    .field("key", "q1")
                    .endObject()));
    b.add(event("redis-stop", REDIS, SERVLET, "2025-03-04T05:06:07.101200", NONE));
    b.add(
        event(
            "db-start",
            SQL,
            SERVLET,
            "2025-03-04T05:06:07.102000",
            w ->
                w.beginObject("db")
                    .field("system", "h2")
                    .field("statement", "UPDATE queues SET count = ? WHERE name = ?")
                    .endObject()));
    b.add(
        event(
            "db-stop",
            SQL,
            SERVLET,
            "2025-03-04T05:06:07.103000",
            w -> w.field("etype", "SQLException").field("message", "database is locked")));
    b.add(
        event(
            "http-start",
            HTTP,
            SERVLET,
            "2025-03-04T05:06:07.104000",
            w ->
                w.beginObject("requests")
                    .field("method", "POST")
                    .field("query", "")
                    .field("path", "/notifications")
                    .field("hostname", "127.0.0.1")
                    .field("port", 8081)
                    .field("scheme", "http")
                    .endObject()));
    b.add(
        event(
            "http-stop",
            HTTP,
            SERVLET,
            "2025-03-04T05:06:07.106000",
            w -> w.beginObject("requests").field("status_code", 204).endObject()));
    b.add(
        event(
            "wsgi-start",
            SERVLET,
            REMOTE_PARENT,
            "2025-03-04T05:06:07.100000",
            w ->
                w.beginObject("request")
                    .field("path", "/v2/queues/q1/messages")
                    .field("query", "limit=?")
                    .field("method", "POST")
                    .field("scheme", "http")
                    .endObject()));
    b.add(
        event(
            "wsgi-stop",
            SERVLET,
            REMOTE_PARENT,
            "2025-03-04T05:06:07.107000",
            w -> w.beginObject("response").field("status", 201).endObject()));
    return b;
  }

  private static long micros(String ts) {
    return Timestamps.parse(ts);
  }

  /** A Zipkin v2 span as JSON, the way Zipkin's codec writes one. */
  private static JsonNode span(
      String id,
      String parent,
      String kind,
      String name,
      String start,
      String end,
      JsonNode remote,
      Map<String, String> tags) {
    ObjectNode n = TestSupport.MAPPER.createObjectNode();
    n.put("traceId", "5f1c0a4e8b7d4c2a9e113d2f6a7b8c90");
    if (parent != null) {
      n.put("parentId", parent);
    }
    n.put("id", id);
    if (kind != null) {
      n.put("kind", kind);
    }
    n.put("name", name);
    n.put("timestamp", micros(start));
    n.put("duration", micros(end) - micros(start));
    n.putObject("localEndpoint").put("serviceName", "queues");
    if (remote != null) {
      n.set("remoteEndpoint", remote);
    }
    ObjectNode t = n.putObject("tags");
    Map<String, String> all = new java.util.TreeMap<>(tags);
    all.put("host.name", "node-7");
    all.put("service.namespace", "zaqar");
    all.put("otel.scope.name", "dev.weft");
    all.put("otel.library.name", "dev.weft");
    all.forEach(t::put);
    try {
      return TestSupport.MAPPER.readTree(n.toString()); // numbers typed as a parser types them
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode remote(String json) throws IOException {
    return TestSupport.MAPPER.readTree(json.replace('\'', '"'));
  }

  private static List<JsonNode> receivedSpans() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode body : RECEIVED) {
      assertThat(body).isInstanceOf(ArrayNode.class);
      body.forEach(out::add);
    }
    return out;
  }

  @Test
  void categorySpans_exportAsZipkinV2_withIdsKindsEndpointsAndTags() throws Exception {
    try (Collector c = Collectors.collector(cs, Map.of())) {
      assertThat(c).isInstanceOf(ZipkinExporter.class);
      c.store(categoryEvents());
    }
    assertThat(HEADERS).containsExactly("POST application/json | null");
    String servlet = "800000000000000a";
    assertThat(receivedSpans())
        .containsExactly(
            span(
                "800000000000000b",
                servlet,
                "CLIENT",
                "mongodb",
                "2025-03-04T05:06:07.100100",
                "2025-03-04T05:06:07.100900",
                remote("{'serviceName': 'mongodb'}"),
                Map.of(
                    "db.system.name", "mongodb",
                    "db.namespace", "zaqar",
                    "db.collection.name", "messages",
                    "db.operation.name", "find",
                    "db.query.text", "{\"queue\": ?}")),
            span(
                "800000000000000c",
                servlet,
                "CLIENT",
                "redis",
                "2025-03-04T05:06:07.101000",
                "2025-03-04T05:06:07.101200",
                remote("{'serviceName': 'redis'}"),
                Map.of(
                    "db.system.name", "redis",
                    "db.operation.name", "LPUSH",
                    "osprofiler.info.db.key", "q1")),
            span(
                "800000000000000d",
                servlet,
                "CLIENT",
                "db",
                "2025-03-04T05:06:07.102000",
                "2025-03-04T05:06:07.103000",
                remote("{'serviceName': 'h2'}"),
                Map.of(
                    "db.system.name", "h2",
                    "db.query.text", "UPDATE queues SET count = ? WHERE name = ?",
                    "error.type", "SQLException",
                    "exception.message", "database is locked",
                    "otel.status_code", "ERROR",
                    "error", "database is locked")),
            span(
                "800000000000000e",
                servlet,
                "CLIENT",
                "http",
                "2025-03-04T05:06:07.104000",
                "2025-03-04T05:06:07.106000",
                remote("{'ipv4': '127.0.0.1', 'port': 8081}"),
                Map.of(
                    "http.request.method", "POST",
                    "url.scheme", "http",
                    "server.address", "127.0.0.1",
                    "server.port", "8081",
                    "url.path", "/notifications",
                    "http.response.status_code", "204")),
            span(
                servlet,
                "8706050403020100",
                "SERVER",
                "wsgi",
                "2025-03-04T05:06:07.100000",
                "2025-03-04T05:06:07.107000",
                null,
                Map.of(
                    "url.path", "/v2/queues/q1/messages",
                    "url.query", "limit=?",
                    "http.request.method", "POST",
                    "url.scheme", "http",
                    "http.response.status_code", "201")));
  }

  @Test
  void spansFromWeftsPipeline_reachTheEndpoint_internalSpansHaveNoKind() throws Exception {
    List<Event> trace = TestSupport.weftTrace();
    try (Collector c = Collectors.collector(cs, Map.of())) {
      c.store(trace);
    }
    List<JsonNode> got = receivedSpans();
    assertThat(got)
        .extracting(n -> n.path("name").asText())
        .containsExactly("reserve", "charge", "checkout");
    String base = trace.get(0).baseId().replace("-", "");
    for (JsonNode n : got) {
      assertThat(n.path("traceId").asText()).isEqualTo(base);
      assertThat(n.has("kind")).isFalse();
      assertThat(n.has("remoteEndpoint")).isFalse();
    }
    assertThat(got.get(0).path("parentId").asText()).isEqualTo(got.get(2).path("id").asText());
    assertThat(got.get(2).has("parentId")).isFalse();
    assertThat(got.get(1).path("tags").path("error").asText()).isEqualTo("card declined");
    assertThat(got.get(1).path("tags").path("error.type").asText())
        .isEqualTo("IllegalStateException");
  }

  @Test
  void configuredHeaders_areSentWithEveryExport() throws Exception {
    try (Collector c =
        Collectors.collector(cs, Map.of("weft.zipkin.headers", "Authorization=Bearer%20t0ken"))) {
      c.store(categoryEvents());
    }
    assertThat(HEADERS).containsExactly("POST application/json | Bearer t0ken");
  }

  @Test
  void badHeaders_areRefusedWithoutShowingValues() {
    assertThatThrownBy(
            () -> Collectors.collector(cs, Map.of("weft.zipkin.headers", "Authorization")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weft.zipkin.headers: pair 1 is not name=value (values are not shown)");
  }

  @Test
  void endpointRefusing_failsTheBatch_once_withTheReason() throws Exception {
    status = 503;
    try (Collector c = Collectors.collector(cs, Map.of())) {
      assertThatThrownBy(() -> c.store(categoryEvents()))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "Zipkin export to http://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/api/v2/spans failed: HTTP 503 Service Unavailable");
    }
    assertThat(RECEIVED).hasSize(1); // no retry by the sender: Weft's pipeline backs off
  }

  @Test
  void endpointDown_failsTheBatch() throws Exception {
    int closed = TestSupport.freePort();
    try (Collector c = Collectors.collector("zipkin://127.0.0.1:" + closed, Map.of())) {
      assertThatThrownBy(() -> c.store(categoryEvents()))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "Zipkin export to http://127.0.0.1:" + closed + "/api/v2/spans failed: ")
          .hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void connectionStrings_mapToTheSpanIntakeUrl() {
    assertThat(ZipkinExporter.endpoint("zipkin://127.0.0.1"))
        .isEqualTo("http://127.0.0.1:9411/api/v2/spans");
    assertThat(ZipkinExporter.endpoint("zipkin://zipkin.example:9412"))
        .isEqualTo("http://zipkin.example:9412/api/v2/spans");
    assertThat(ZipkinExporter.endpoint("zipkins://zipkin.example"))
        .isEqualTo("https://zipkin.example:443/api/v2/spans");
    assertThat(ZipkinExporter.endpoint("zipkin://[::1]:9411/custom/spans"))
        .isEqualTo("http://[::1]:9411/custom/spans");
    assertThatThrownBy(() -> ZipkinExporter.endpoint("zipkin:///nohost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs zipkin://host:port");
  }

  @Test
  void zipkinIsWriteOnly() {
    assertThatThrownBy(() -> Collectors.reader(cs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zipkin:// only exports spans");
  }
}
