package dev.weft.it.zipkin;

import static dev.weft.it.zipkin.MultiServiceTrace.API;
import static dev.weft.it.zipkin.MultiServiceTrace.CLIENT;
import static dev.weft.it.zipkin.MultiServiceTrace.SUBSCRIBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A three-service trace exported through {@code zipkin://} to the real Zipkin server, read back
 * from {@code GET /api/v2/trace/{id}} and compared whole: every span's id, parentId, name, kind,
 * localEndpoint.serviceName, remoteEndpoint and tags, and not one span more; the services and
 * remote services Zipkin lists; and the values Weft redacted (a query's values, a webhook's
 * capability token, SQL literals) still redacted in what Zipkin stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinTraceTest {
  static final String HOST = "zipkin-it-host";
  static final String PROJECT = "weft";

  ZipkinServer zipkin;
  MultiServiceTrace services;

  @BeforeAll
  void start() throws Exception {
    if (ZipkinServer.missing() != null) {
      return; // each test reports itself skipped (below)
    }
    zipkin = ZipkinServer.start(ZipkinServer.freePort());
    services = new MultiServiceTrace();
    configure(zipkin.connectionString());
  }

  @BeforeEach
  void requireZipkin() {
    assumeTrue(ZipkinServer.missing() == null, ZipkinServer.missing());
  }

  static void configure(String connectionString) {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", MultiServiceTrace.KEY);
    Weft.set("weft.service", CLIENT);
    Weft.set("weft.host", HOST);
    Weft.set("weft.project", PROJECT);
    Weft.set("weft.connection_string", connectionString);
  }

  @AfterAll
  void stop() throws Exception {
    Weft.flush();
    Weft.resetRuntimeChanges();
    if (services != null) {
      services.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  /** Polls Zipkin until the trace has {@code spans} spans (its intake is asynchronous). */
  static JsonNode awaitTrace(ZipkinServer z, String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonNode t = z.trace(traceId);
    while (t.size() < spans && System.nanoTime() < deadline) {
      Thread.sleep(100);
      t = z.trace(traceId);
    }
    return t;
  }

  static String hex(String uuid) {
    return uuid.replace("-", "");
  }

  static String spanId(String uuid) {
    return hex(uuid).substring(16);
  }

  /** A Zipkin v2 span as the server returns it (span and service names in lower case). */
  static ObjectNode span(
      String traceId,
      String id,
      String parentId,
      String kind,
      String name,
      String service,
      String remote,
      Map<String, String> tags) {
    ObjectNode n = ZipkinServer.JSON.createObjectNode();
    n.put("traceId", traceId);
    if (parentId != null) {
      n.put("parentId", parentId);
    }
    n.put("id", id);
    if (kind != null) {
      n.put("kind", kind);
    }
    n.put("name", name.toLowerCase(java.util.Locale.ROOT)); // Zipkin lower-cases span names
    n.putObject("localEndpoint").put("serviceName", service);
    if (remote != null) {
      try {
        n.set("remoteEndpoint", ZipkinServer.JSON.readTree(remote.replace('\'', '"')));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, String> all = new TreeMap<>(tags);
    all.put("host.name", HOST);
    all.put("service.namespace", PROJECT);
    all.put("otel.scope.name", "dev.weft");
    all.put("otel.library.name", "dev.weft");
    all.forEach(n.putObject("tags")::put);
    return n;
  }

  /** The trace as Zipkin returned it, each span without its times, keyed by span id. */
  static Map<String, JsonNode> withoutTimes(JsonNode trace) {
    Map<String, JsonNode> m = new TreeMap<>();
    for (JsonNode s : trace) {
      ObjectNode c = s.deepCopy();
      c.remove("timestamp");
      c.remove("duration");
      assertThat(m.put(c.path("id").asText(), c)).as("duplicate span id").isNull();
    }
    return m;
  }

  /** The whole tree the services record for one post, as Zipkin must hold it. */
  static List<JsonNode> expectedTree(
      String base, Map<String, String> ids, String poolingId, String waitMicros, int api, int sub) {
    String t = hex(base);
    String query = "limit=?&marker=?";
    List<JsonNode> e = new ArrayList<>();
    e.add(
        span(
            t,
            spanId(ids.get("client")),
            null,
            null,
            "QueueClient.postMessages",
            CLIENT,
            null,
            Map.of("code.function.name", "dev.weft.testapp.client.QueueClient.postMessages")));
    e.add(
        span(
            t,
            spanId(ids.get("client.http")),
            spanId(ids.get("client")),
            "CLIENT",
            "http",
            CLIENT,
            "{'ipv4': '127.0.0.1', 'port': " + api + "}",
            Map.of(
                "http.request.method", "POST",
                "url.scheme", "http",
                "server.address", "127.0.0.1",
                "server.port", Integer.toString(api),
                "url.path", "/v2/queues/orders/messages",
                "url.query", query,
                "http.response.status_code", "201")));
    e.add(
        span(
            t,
            spanId(ids.get("api.servlet")),
            spanId(ids.get("client.http")),
            "SERVER",
            "wsgi",
            API,
            null,
            Map.of(
                "url.path", "/v2/queues/orders/messages",
                "url.query", query,
                "http.request.method", "POST",
                "url.scheme", "http",
                "http.response.status_code", "201")));
    String servlet = spanId(ids.get("api.servlet"));
    e.add(
        span(
            t,
            spanId(ids.get("api.lookup")),
            servlet,
            null,
            "catalog_lookup",
            API,
            null,
            Map.of("code.function.name", "dev.weft.testapp.pooling.Catalog.lookup")));
    e.add(
        span(
            t,
            spanId(ids.get("api.lookup.db")),
            spanId(ids.get("api.lookup")),
            "CLIENT",
            "db",
            API,
            "{'serviceName': 'h2'}",
            Map.of(
                "db.system.name", "h2",
                "db.query.text",
                    "select qr1_0.name,qr1_0.pool from weft_queues qr1_0 where qr1_0.name=?")));
    e.add(
        span(
            t,
            poolingId,
            servlet,
            null,
            "pooling",
            API,
            null,
            Map.of(
                "osprofiler.info.pooling.pool",
                "redis-pool",
                "osprofiler.info.pooling.wait_micros",
                waitMicros)));
    e.add(
        span(
            t,
            spanId(ids.get("api.redis.set")),
            servlet,
            "CLIENT",
            "redis",
            API,
            "{'serviceName': 'redis'}",
            Map.of(
                "db.system.name", "redis",
                "db.operation.name", "SET",
                "osprofiler.info.db.key", "weft:m:orders:1")));
    e.add(
        span(
            t,
            spanId(ids.get("api.redis.zadd")),
            servlet,
            "CLIENT",
            "redis",
            API,
            "{'serviceName': 'redis'}",
            Map.of(
                "db.system.name", "redis",
                "db.operation.name", "ZADD",
                "osprofiler.info.db.key", "weft:q:orders")));
    e.add(
        span(
            t,
            spanId(ids.get("api.mongodb")),
            servlet,
            "CLIENT",
            "mongodb",
            API,
            "{'serviceName': 'mongodb'}",
            Map.of(
                "db.system.name", "mongodb",
                "db.namespace", "zaqar",
                "db.collection.name", "messages",
                "db.operation.name", "insert",
                "db.query.text", "{\"_id\": \"?\", \"queue\": \"?\", \"body\": \"?\"}")));
    e.add(
        span(
            t,
            spanId(ids.get("api.db.update")),
            servlet,
            "CLIENT",
            "db",
            API,
            "{'serviceName': 'h2'}",
            Map.of(
                "db.system.name", "h2",
                "db.query.text", "UPDATE weft_queues SET count = ? WHERE name = ?",
                "error.type", "SQLTimeoutException",
                "exception.message", "lock timeout",
                "otel.status_code", "ERROR",
                "error", "lock timeout")));
    e.add(
        span(
            t,
            spanId(ids.get("api.webhook")),
            servlet,
            "CLIENT",
            "http",
            API,
            "{'ipv4': '127.0.0.1', 'port': " + sub + "}",
            Map.of(
                "http.request.method", "POST",
                "url.scheme", "http",
                "server.address", "127.0.0.1",
                "server.port", Integer.toString(sub),
                "url.path", "/notifications/?",
                "http.response.status_code", "204")));
    e.add(
        span(
            t,
            spanId(ids.get("sub.servlet")),
            spanId(ids.get("api.webhook")),
            "SERVER",
            "wsgi",
            SUBSCRIBER,
            null,
            Map.of(
                "url.path", "/notifications/?",
                "http.request.method", "POST",
                "url.scheme", "http",
                "http.response.status_code", "204")));
    e.add(
        span(
            t,
            spanId(ids.get("sub.record")),
            spanId(ids.get("sub.servlet")),
            null,
            "NotificationLog.record",
            SUBSCRIBER,
            null,
            Map.of("code.function.name", "dev.weft.testapp.subscriber.NotificationLog.record")));
    e.add(
        span(
            t,
            spanId(ids.get("sub.validate")),
            spanId(ids.get("sub.record")),
            null,
            "notification_validate",
            SUBSCRIBER,
            null,
            Map.of("code.function.name", "dev.weft.testapp.subscriber.NotificationLog.validate")));
    return e;
  }

  /** The pooling span of a trace (the one span whose id the test does not hold). */
  static JsonNode pooling(JsonNode trace) {
    JsonNode found = null;
    for (JsonNode s : trace) {
      if (s.path("name").asText().equals("pooling")) {
        assertThat(found).as("one pooling span").isNull();
        found = s;
      }
    }
    assertThat(found).as("a pooling span").isNotNull();
    return found;
  }

  static Map<String, JsonNode> byId(List<JsonNode> spans) {
    Map<String, JsonNode> m = new TreeMap<>();
    for (JsonNode s : spans) {
      m.put(s.path("id").asText(), s);
    }
    return m;
  }

  @Test
  void aThreeServiceTrace_isInZipkinWhole_spanForSpan() throws Exception {
    String base = services.post("orders");
    assertThat(Weft.flush()).isTrue();
    String traceId = hex(base);
    JsonNode trace = awaitTrace(zipkin, traceId, 14);

    JsonNode pooling = pooling(trace);
    String wait = pooling.path("tags").path("osprofiler.info.pooling.wait_micros").asText();
    assertThat(wait).matches("[0-9]+");
    List<JsonNode> expected =
        expectedTree(
            base,
            services.ids,
            pooling.path("id").asText(),
            wait,
            services.apiPort(),
            services.subscriberPort());
    assertThat(expected).hasSize(14);
    assertThat(trace.size()).as(trace.toPrettyString()).isEqualTo(14);
    assertThat(withoutTimes(trace)).isEqualTo(byId(expected));

    // Times: each span lies within its parent's, across the three services' clocks.
    Map<String, JsonNode> got = new TreeMap<>();
    trace.forEach(s -> got.put(s.path("id").asText(), s));
    for (JsonNode s : trace) {
      assertThat(s.path("duration").asLong()).isPositive();
      JsonNode p = got.get(s.path("parentId").asText());
      if (p == null) {
        continue;
      }
      long start = s.path("timestamp").asLong();
      long end = start + s.path("duration").asLong();
      assertThat(start)
          .as(s.path("name").asText())
          .isGreaterThanOrEqualTo(p.path("timestamp").asLong());
      assertThat(end)
          .as(s.path("name").asText())
          .isLessThanOrEqualTo(p.path("timestamp").asLong() + p.path("duration").asLong() + 1);
    }

    // Zipkin's own indexes: the three services that recorded spans, the peers of the queue API.
    assertThat(ZipkinServer.JSON.readTree(zipkin.get("/api/v2/services").body()))
        .containsExactlyInAnyOrderElementsOf(
            ZipkinServer.JSON.readTree(
                "[\"queue-api\", \"queue-client\", \"webhook-subscriber\"]"));
    assertThat(
            ZipkinServer.JSON.readTree(
                zipkin.get("/api/v2/remoteServices?serviceName=queue-api").body()))
        .containsExactlyInAnyOrderElementsOf(
            ZipkinServer.JSON.readTree("[\"h2\", \"mongodb\", \"redis\"]"));
    assertThat(ZipkinServer.JSON.readTree(zipkin.get("/api/v2/spans?serviceName=queue-api").body()))
        .containsExactlyInAnyOrderElementsOf(
            ZipkinServer.JSON.readTree(
                "[\"catalog_lookup\", \"db\", \"http\", \"mongodb\", \"pooling\", \"redis\","
                    + " \"wsgi\"]"));
  }

  @Test
  void redactedValues_stayRedactedInZipkin() throws Exception {
    String base = services.post("orders");
    assertThat(Weft.flush()).isTrue();
    JsonNode trace = awaitTrace(zipkin, hex(base), 14);
    String stored = zipkin.get("/api/v2/trace/" + hex(base)).body();
    assertThat(trace.size()).isEqualTo(14);
    assertThat(stored)
        .doesNotContain(MultiServiceTrace.MARKER)
        .doesNotContain(MultiServiceTrace.WEBHOOK_TOKEN)
        .doesNotContain(MultiServiceTrace.SQL_LITERAL)
        .doesNotContain("count = 3")
        .contains("\"url.query\":\"limit=?&marker=?\"")
        .contains("\"url.path\":\"/notifications/?\"")
        .contains("WHERE name = ?")
        .contains("where qr1_0.name=?")
        .contains("{\\\"_id\\\": \\\"?\\\", \\\"queue\\\": \\\"?\\\", \\\"body\\\": \\\"?\\\"}");
  }
}
