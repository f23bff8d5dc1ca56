package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.Collectors;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.pipeline.Timestamps;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code otlp://} against a real OTLP/HTTP endpoint started in the test (the JDK's HTTP server on
 * {@code POST /v1/traces}); every request body is decoded with opentelemetry-proto and the spans
 * compared field by field: ids, parent links, kinds, times, status, attributes and resource.
 */
class OtlpExportTest {
  private static HttpServer server;
  private static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
  private static final List<String> CONTENT_TYPES = new CopyOnWriteArrayList<>();
  private static volatile int status = 200;
  private static String cs;

  @BeforeAll
  static void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!"POST".equals(ex.getRequestMethod())) {
              ex.sendResponseHeaders(405, -1);
              return;
            }
            CONTENT_TYPES.add(ex.getRequestHeaders().getFirst("Content-Type"));
            RECEIVED.add(ExportTraceServiceRequest.parseFrom(body));
            byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(reply);
            }
          }
        });
    server.start();
    cs = "otlp://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopEndpoint() {
    Weft.resetRuntimeChanges();
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    RECEIVED.clear();
    CONTENT_TYPES.clear();
    status = 200;
  }

  // ---- events as Weft's categories write them ----

  private static final String BASE = "5f1c0a4e-8b7d-4c2a-9e11-3d2f6a7b8c90";
  private static final String SERVLET = "a1b2c3d4-0000-4000-8000-00000000000a";
  private static final String MONGO = "a1b2c3d4-0000-4000-8000-00000000000b";
  private static final String REDIS = "a1b2c3d4-0000-4000-8000-00000000000c";
  private static final String SQL = "a1b2c3d4-0000-4000-8000-00000000000d";
  private static final String HTTP = "a1b2c3d4-0000-4000-8000-00000000000e";
  private static final String POOL = "a1b2c3d4-0000-4000-8000-00000000000f";
  private static final String REMOTE_PARENT = "0f0e0d0c-0b0a-4908-8706-050403020100";

  private interface Info {
    void write(JsonWriter w);
  }

  private static Event event(
      String name, String base, String id, String parent, String ts, Info info, boolean error) {
    JsonWriter w = new JsonWriter();
    w.beginObject()
        .field("name", name)
        .field("base_id", base)
        .field("trace_id", id)
        .field("parent_id", parent)
        .field("timestamp", ts)
        .beginObject("info");
    info.write(w);
    w.field("host", "node-7").endObject().field("project", "zaqar").field("service", "queues");
    w.endObject();
    return new Event(base, name, w.toString(), ts, error);
  }

  private static final Info NONE = w -> {};

  private static List<Event> categoryEvents() {
    List<Event> b = new ArrayList<>();
    // Spans arrive as they finish: children first, each start directly followed by its stop.
    b.add(
        event(
            "mongodb-start",
            BASE,
            MONGO,
            SERVLET,
            "2025-03-04T05:06:07.100100",
            w ->
                w.beginObject("db")
                    .field("system", "mongodb")
                    .field("database", "zaqar")
                    .field("collection", "messages")
                    .field("command", "find")
                    .field("filter", "{\"queue\": ?}")
                    .endObject(),
            false));
    b.add(event("mongodb-stop", BASE, MONGO, SERVLET, "2025-03-04T05:06:07.100900", NONE, false));
    b.add(
        event(
            "redis-start",
            BASE,
            REDIS,
            SERVLET,
            "2025-03-04T05:06:07.101000",
            w -> w.beginObject("db").field("command", "LPUSH").field("key", "q1").endObject(),
            false));
    b.add(event("redis-stop", BASE, REDIS, SERVLET, "2025-03-04T05:06:07.101200", NONE, false));
    b.add(
        event(
            "db-start",
            BASE,
            SQL,
            SERVLET,
            "2025-03-04T05:06:07.102000",
            w ->
                w.beginObject("db")
                    .field("statement", "UPDATE queues SET count = ? WHERE name = ?")
                    .endObject(),
            false));
    b.add(
        event(
            "db-stop",
            BASE,
            SQL,
            SERVLET,
            "2025-03-04T05:06:07.103000",
            w -> w.field("etype", "SQLException").field("message", "database is locked"),
            true));
    b.add(
        event(
            "http-start",
            BASE,
            HTTP,
            SERVLET,
            "2025-03-04T05:06:07.104000",
            w ->
                w.beginObject("request")
                    .field("method", "GET")
                    .field("scheme", "http")
                    .field("host", "subscriber")
                    .field("port", 8081)
                    .field("path", "/notify")
                    .field("query", "")
                    .endObject(),
            false));
    b.add(
        event(
            "http-stop",
            BASE,
            HTTP,
            SERVLET,
            "2025-03-04T05:06:07.106000",
            w -> w.beginObject("response").field("status", 204).endObject(),
            false));
    b.add(
        event(
            "select_pool-start",
            BASE,
            POOL,
            SERVLET,
            "2025-03-04T05:06:07.106500",
            w -> w.beginObject("function").field("name", "demo.Pools.select").endObject(),
            false));
    b.add(
        event("select_pool-stop", BASE, POOL, SERVLET, "2025-03-04T05:06:07.106600", NONE, false));
    b.add(
        event(
            "wsgi-start",
            BASE,
            SERVLET,
            REMOTE_PARENT,
            "2025-03-04T05:06:07.100000",
            w ->
                w.beginObject("request")
                    .field("path", "/v2/queues/q1/messages")
                    .field("query", "limit=5")
                    .field("method", "POST")
                    .field("scheme", "http")
                    .endObject(),
            false));
    b.add(
        event(
            "wsgi-stop",
            BASE,
            SERVLET,
            REMOTE_PARENT,
            "2025-03-04T05:06:07.107000",
            w -> w.beginObject("response").field("status", 201).endObject(),
            false));
    return b;
  }

  // ---- a decoded span, comparable as a whole ----

  record Got(
      String name,
      String kind,
      String traceId,
      String spanId,
      String parentSpanId,
      long start,
      long end,
      String status,
      Map<String, Object> attributes,
      Map<String, Object> resource) {}

  private static Map<String, Object> attrs(List<KeyValue> kvs) {
    Map<String, Object> m = new TreeMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      Object o =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            default -> v.toString();
          };
      m.put(kv.getKey(), o);
    }
    return m;
  }

  private static List<Got> received() {
    HexFormat hex = HexFormat.of();
    List<Got> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : RECEIVED) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        Map<String, Object> resource = attrs(rs.getResource().getAttributesList());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          assertThat(ss.getScope().getName()).isEqualTo("dev.weft");
          for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
            Status st = s.getStatus();
            out.add(
                new Got(
                    s.getName(),
                    s.getKind().name(),
                    hex.formatHex(s.getTraceId().toByteArray()),
                    hex.formatHex(s.getSpanId().toByteArray()),
                    hex.formatHex(s.getParentSpanId().toByteArray()),
                    s.getStartTimeUnixNano(),
                    s.getEndTimeUnixNano(),
                    st.getCode().name() + (st.getMessage().isEmpty() ? "" : ": " + st.getMessage()),
                    attrs(s.getAttributesList()),
                    resource));
          }
        }
      }
    }
    return out;
  }

  private static long nanos(String ts) {
    return Timestamps.parse(ts) * 1000L;
  }

  private static final Map<String, Object> RESOURCE =
      Map.of("service.name", "queues", "service.namespace", "zaqar", "host.name", "node-7");

  @Test
  void categorySpans_exportWithMappedIdsParentLinksKindsAndAttributes() throws Exception {
    try (Collector c = Collectors.collector(cs, Map.of())) {
      c.store(categoryEvents());
    }
    assertThat(CONTENT_TYPES).containsExactly("application/x-protobuf");
    String trace = "5f1c0a4e8b7d4c2a9e113d2f6a7b8c90";
    String servletSpan = "800000000000000a";
    assertThat(received())
        .containsExactly(
            new Got(
                "mongodb",
                "SPAN_KIND_CLIENT",
                trace,
                "800000000000000b",
                servletSpan,
                nanos("2025-03-04T05:06:07.100100"),
                nanos("2025-03-04T05:06:07.100900"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "db.system.name", "mongodb",
                    "db.namespace", "zaqar",
                    "db.collection.name", "messages",
                    "db.operation.name", "find",
                    "osprofiler.info.db.filter", "{\"queue\": ?}"),
                RESOURCE),
            new Got(
                "redis",
                "SPAN_KIND_CLIENT",
                trace,
                "800000000000000c",
                servletSpan,
                nanos("2025-03-04T05:06:07.101000"),
                nanos("2025-03-04T05:06:07.101200"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "db.system.name", "redis",
                    "db.operation.name", "LPUSH",
                    "osprofiler.info.db.key", "q1"),
                RESOURCE),
            new Got(
                "db",
                "SPAN_KIND_CLIENT",
                trace,
                "800000000000000d",
                servletSpan,
                nanos("2025-03-04T05:06:07.102000"),
                nanos("2025-03-04T05:06:07.103000"),
                "STATUS_CODE_ERROR: database is locked",
                Map.of(
                    "db.system.name", "other_sql",
                    "db.query.text", "UPDATE queues SET count = ? WHERE name = ?",
                    "error.type", "SQLException",
                    "exception.message", "database is locked"),
                RESOURCE),
            new Got(
                "http",
                "SPAN_KIND_CLIENT",
                trace,
                "800000000000000e",
                servletSpan,
                nanos("2025-03-04T05:06:07.104000"),
                nanos("2025-03-04T05:06:07.106000"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "http.request.method", "GET",
                    "url.scheme", "http",
                    "server.address", "subscriber",
                    "server.port", 8081L,
                    "url.path", "/notify",
                    "http.response.status_code", 204L),
                RESOURCE),
            new Got(
                "select_pool",
                "SPAN_KIND_INTERNAL",
                trace,
                "800000000000000f",
                servletSpan,
                nanos("2025-03-04T05:06:07.106500"),
                nanos("2025-03-04T05:06:07.106600"),
                "STATUS_CODE_UNSET",
                Map.of("code.function.name", "demo.Pools.select"),
                RESOURCE),
            new Got(
                "wsgi",
                "SPAN_KIND_SERVER",
                trace,
                servletSpan,
                "8706050403020100",
                nanos("2025-03-04T05:06:07.100000"),
                nanos("2025-03-04T05:06:07.107000"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "url.path", "/v2/queues/q1/messages",
                    "url.query", "limit=5",
                    "http.request.method", "POST",
                    "url.scheme", "http",
                    "http.response.status_code", 201L),
                RESOURCE));
  }

  @Test
  void osprofilerFixture_exportsWithOsprofilersIdMapping() throws Exception {
    List<Event> batch = new ArrayList<>();
    for (String line : TestSupport.fixtureEvents()) {
      var n = TestSupport.tree(line);
      String name = n.get("name").asText();
      batch.add(
          new Event(
              n.get("base_id").asText(),
              name,
              line,
              n.get("timestamp").asText(),
              n.get("info").has("etype")));
    }
    try (Collector c = Collectors.collector(cs, Map.of())) {
      c.store(batch);
    }
    String trace = "11111111111111111111111111111111";
    Map<String, Object> resource =
        Map.of("service.name", "Zaqar-server", "service.namespace", "Zaqar", "host.name", "node-1");
    // The fixture's events come in OSProfiler's order (as they happened); stops close their spans.
    assertThat(received())
        .containsExactly(
            new Got(
                "mongodb_message_controller",
                "SPAN_KIND_INTERNAL",
                trace,
                "0000000000000002",
                "0000000000000001",
                nanos("2024-01-02T03:04:05.128456"),
                nanos("2024-01-02T03:04:05.140456"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "code.function.name", "__main__.MessageController.post",
                    "osprofiler.info.function.args", "('q1', [{'body': 1}])",
                    "osprofiler.info.function.kwargs", "{'project': 'p1'}"),
                resource),
            new Got(
                "mongodb_message_controller",
                "SPAN_KIND_INTERNAL",
                trace,
                "0000000000000003",
                "0000000000000001",
                nanos("2024-01-02T03:04:05.143456"),
                nanos("2024-01-02T03:04:05.154456"),
                "STATUS_CODE_ERROR: 'nope'",
                Map.of(
                    "code.function.name", "__main__.MessageController.get",
                    "osprofiler.info.function.args", "('q1',)",
                    "osprofiler.info.function.kwargs", "{}",
                    "error.type", "KeyError",
                    "exception.message", "'nope'"),
                resource),
            new Got(
                "wsgi",
                "SPAN_KIND_SERVER",
                trace,
                "0000000000000001",
                "2222222222222222",
                nanos("2024-01-02T03:04:05.123456"),
                nanos("2024-01-02T03:04:05.163456"),
                "STATUS_CODE_UNSET",
                Map.of(
                    "url.path", "/v2/queues/q1/messages",
                    "http.request.method", "POST",
                    "url.scheme", "http"),
                resource));
  }

  @Test
  void nonUuidIds_mapToStableHashes_andAParentEqualToTheBaseIsARoot() throws Exception {
    List<Event> batch = new ArrayList<>();
    batch.add(
        event(
            "job-start", "req-42", "step-1", "req-42", "2025-01-01T00:00:00.000001", NONE, false));
    batch.add(
        event("job-stop", "req-42", "step-1", "req-42", "2025-01-01T00:00:00.000002", NONE, false));
    batch.add(
        event(
            "sub-start", "req-42", "step-2", "step-1", "2025-01-01T00:00:00.000003", NONE, false));
    batch.add(
        event("sub-stop", "req-42", "step-2", "step-1", "2025-01-01T00:00:00.000004", NONE, false));
    try (Collector c = Collectors.collector(cs, Map.of())) {
      c.store(batch);
      c.store(batch);
    }
    HexFormat hex = HexFormat.of();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    String trace = hex.formatHex(sha.digest("req-42".getBytes(StandardCharsets.UTF_8)), 0, 16);
    String step1 = hex.formatHex(sha.digest("step-1".getBytes(StandardCharsets.UTF_8)), 0, 8);
    String step2 = hex.formatHex(sha.digest("step-2".getBytes(StandardCharsets.UTF_8)), 0, 8);
    List<Got> got = received();
    assertThat(got).hasSize(4);
    assertThat(got)
        .extracting(Got::name, Got::traceId, Got::spanId, Got::parentSpanId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("job", trace, step1, ""),
            // a parent that is not a UUID gives no link: OSProfiler's otlp driver does the same
            org.assertj.core.groups.Tuple.tuple("sub", trace, step2, ""),
            org.assertj.core.groups.Tuple.tuple("job", trace, step1, ""),
            org.assertj.core.groups.Tuple.tuple("sub", trace, step2, ""));
  }

  @Test
  void spansFromWeftsPipeline_reachTheEndpoint() throws Exception {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.service", "orders");
    Weft.set("weft.project", "shop");
    Weft.set("weft.host", "host-a");
    Weft.set("weft.connection_string", cs);
    String base = UUID.randomUUID().toString();
    String rootId;
    String childId;
    try (TraceScope t = Trace.begin(base, null, null)) {
      try (Span root = Trace.span("checkout")) {
        rootId = root.id();
        try (Span child = Trace.span("reserve")) {
          child.info("sku", "tea");
          childId = child.id();
        }
      }
    }
    assertThat(Weft.flush()).isTrue();
    Weft.resetRuntimeChanges();
    String trace = base.replace("-", "");
    Map<String, Object> resource =
        Map.of("service.name", "orders", "service.namespace", "shop", "host.name", "host-a");
    assertThat(received())
        .extracting(
            Got::name,
            Got::kind,
            Got::traceId,
            Got::spanId,
            Got::parentSpanId,
            Got::attributes,
            Got::resource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "reserve",
                "SPAN_KIND_INTERNAL",
                trace,
                childId.replace("-", "").substring(16),
                rootId.replace("-", "").substring(16),
                Map.of("osprofiler.info.sku", "tea"),
                resource),
            org.assertj.core.groups.Tuple.tuple(
                "checkout",
                "SPAN_KIND_INTERNAL",
                trace,
                rootId.replace("-", "").substring(16),
                "",
                Map.of(),
                resource));
  }

  @Test
  void endpointRefusing_failsTheBatch() throws Exception {
    status = 503;
    try (Collector c = Collectors.collector(cs, Map.of())) {
      assertThatThrownBy(() -> c.store(categoryEvents()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(
              "OTLP export to http://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/v1/traces failed");
    }
    assertThat(RECEIVED).hasSize(1); // no retry by the exporter: Weft's pipeline backs off
  }

  @Test
  void endpointDown_failsTheBatch() throws Exception {
    int closed = TestSupport.freePort();
    try (Collector c = Collectors.collector("otlp://127.0.0.1:" + closed, Map.of())) {
      assertThatThrownBy(() -> c.store(categoryEvents()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("OTLP export to http://127.0.0.1:" + closed + "/v1/traces failed");
    }
  }

  @Test
  void otlpIsWriteOnly() {
    assertThatThrownBy(() -> Collectors.reader(cs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otlp:// only exports spans");
  }
}
