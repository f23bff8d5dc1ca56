package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.pooling.Catalog;
import dev.weft.testapp.pooling.PoolSelector;
import dev.weft.testapp.subscriber.NotificationLog;
import dev.weft.testing.WeftTesting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the app's own woven code records: the pooling spans, the subscriber's work, the client's
 * spans; runtime category switches; a forged signature starting nothing.
 */
class TracingTest {
  static final String KEY = "test-key";
  static Fixture f;
  static ManagementStore management;

  @BeforeAll
  static void configure() throws Exception {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.service", "test-app");
    Weft.set("weft.host", "test-host");
    f = new Fixture();
    management =
        new ManagementStore("jdbc:h2:mem:tracing-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    management.putPool("only", "redis://127.0.0.1:1/0", 5);
    management.createQueue("known", "only", "{}");
  }

  @AfterAll
  static void reset() throws Exception {
    Weft.resetRuntimeChanges();
    management.close();
    f.close();
  }

  @BeforeEach
  void clear() {
    WeftTesting.clearRecorded();
  }

  /** The events of one trace, parsed, in stored order. */
  static List<JsonNode> events(String baseId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String e : WeftTesting.recordedEvents(baseId)) {
      out.add(json(e));
    }
    return out;
  }

  /** Event name → event, for the names given (each must occur once). */
  static Map<String, JsonNode> byName(List<JsonNode> events, String... names) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (String n : names) {
      List<JsonNode> found = new ArrayList<>();
      for (JsonNode e : events) {
        if (e.path("name").asText().equals(n)) {
          found.add(e);
        }
      }
      assertThat(found).as(n).hasSize(1);
      m.put(n, found.get(0));
    }
    return m;
  }

  static List<String> names(List<JsonNode> events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.path("name").asText()));
    return out;
  }

  @Test
  void poolSelectionRecordsTheQueueAndTheChosenPool() throws Exception {
    PoolSelector selector = new PoolSelector(management, new Random(1));
    try (TraceScope t = Trace.begin("base-select", "parent-0", KEY)) {
      assertThat(selector.select("new-queue")).isEqualTo("only");
    }
    Map<String, JsonNode> ev =
        byName(events("base-select"), "pool_select-start", "pool_select-stop");
    JsonNode start = ev.get("pool_select-start");
    assertThat(start.path("parent_id").asText()).isEqualTo("parent-0");
    assertThat(start.path("base_id").asText()).isEqualTo("base-select");
    assertThat(start.path("service").asText()).isEqualTo("test-app");
    assertThat(start.path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\": \"dev.weft.testapp.pooling.PoolSelector.select\","
                    + " \"args\": \"[new-queue]\"}, \"host\": \"test-host\"}"));
    assertThat(ev.get("pool_select-stop").path("info"))
        .isEqualTo(json("{\"function\": {\"result\": \"only\"}, \"host\": \"test-host\"}"));
    assertThat(ev.get("pool_select-stop").path("trace_id")).isEqualTo(start.path("trace_id"));
  }

  @Test
  void catalogLookupRecordsTheQueueAndItsPool() throws Exception {
    Catalog catalog = new Catalog(management, Duration.ofSeconds(5));
    try (TraceScope t = Trace.begin("base-lookup", null, KEY)) {
      assertThat(catalog.lookup("known")).isEqualTo("only");
      assertThat(catalog.lookup("unknown")).isNull();
    }
    List<JsonNode> ev = events("base-lookup");
    List<JsonNode> starts = new ArrayList<>();
    List<JsonNode> stops = new ArrayList<>();
    for (JsonNode e : ev) {
      if (e.path("name").asText().equals("catalog_lookup-start")) {
        starts.add(e);
      } else if (e.path("name").asText().equals("catalog_lookup-stop")) {
        stops.add(e);
      }
    }
    assertThat(starts).hasSize(2);
    assertThat(starts.get(0).path("parent_id").asText()).isEqualTo("base-lookup");
    assertThat(starts.get(0).path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\": \"dev.weft.testapp.pooling.Catalog.lookup\","
                    + " \"args\": \"[known]\"}, \"host\": \"test-host\"}"));
    assertThat(stops.get(0).path("info"))
        .isEqualTo(json("{\"function\": {\"result\": \"only\"}, \"host\": \"test-host\"}"));
    assertThat(stops.get(1).path("info"))
        .isEqualTo(json("{\"function\": {\"result\": \"null\"}, \"host\": \"test-host\"}"));
  }

  @Test
  void poolingSwitchedOffAtRuntimeDisappearsAndComesBack() throws Exception {
    PoolSelector selector = new PoolSelector(management, new Random(2));
    try {
      Weft.set("weft.trace.pooling", "false");
      try (TraceScope t = Trace.begin("base-off", null, KEY)) {
        assertThat(selector.select("q")).isEqualTo("only");
      }
      assertThat(names(events("base-off"))).doesNotContain("pool_select-start");
    } finally {
      Weft.set("weft.trace.pooling", null);
    }
    try (TraceScope t = Trace.begin("base-on", null, KEY)) {
      assertThat(selector.select("q")).isEqualTo("only");
    }
    byName(events("base-on"), "pool_select-start", "pool_select-stop");
  }

  @Test
  void subscriberWorkIsTracedAndItsErrorsRethrownUnchanged() throws Exception {
    NotificationLog log = new NotificationLog();
    try (TraceScope t = Trace.begin("base-sub", null, KEY)) {
      log.record(json("{\"queue_name\": \"q\", \"id\": \"m1\", \"body\": 1}"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> log.record(json("{}")));
      assertThat(e.getMessage()).isEqualTo("not a queue notification");
    }
    List<JsonNode> ev = events("base-sub");
    assertThat(names(ev))
        .containsExactly(
            "notification_validate-start",
            "notification_validate-stop",
            "NotificationLog.record-start",
            "NotificationLog.record-stop",
            "notification_validate-start",
            "notification_validate-stop",
            "NotificationLog.record-start",
            "NotificationLog.record-stop");
    assertThat(ev.get(0).path("parent_id")).isEqualTo(ev.get(2).path("trace_id"));
    assertThat(ev.get(2).path("parent_id").asText()).isEqualTo("base-sub");
    assertThat(ev.get(2).path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\": \"dev.weft.testapp.subscriber.NotificationLog.record\"},"
                    + " \"host\": \"test-host\"}"));
    assertThat(ev.get(7).path("info"))
        .isEqualTo(
            json(
                "{\"etype\": \"IllegalArgumentException\", \"message\": \"not a queue"
                    + " notification\", \"host\": \"test-host\"}"));
    assertThat(log.all()).hasSize(1);
  }

  @Test
  void aProfiledClientCallIsTheRootOfItsTrace() throws Exception {
    f.queueIn("profiled", "redis");
    String base;
    ApiResponse r;
    try (TraceScope t = Trace.beginClient(KEY)) {
      base = t.baseId();
      r = f.client.postMessages("profiled", List.of(new QueueClient.Message(json("1"), 300)));
    }
    assertThat(r.status()).isEqualTo(201);
    List<JsonNode> ev = events(base);
    Map<String, JsonNode> root =
        byName(ev, "QueueClient.postMessages-start", "QueueClient.postMessages-stop");
    JsonNode start = root.get("QueueClient.postMessages-start");
    assertThat(start.path("parent_id").asText()).isEqualTo(base);
    assertThat(start.path("service").asText()).isEqualTo("test-app");
    assertThat(start.path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\":"
                    + " \"dev.weft.testapp.client.QueueClient.postMessages\"}, \"host\":"
                    + " \"test-host\"}"));
    // Every other span of the trace hangs below the client's root span.
    String rootId = start.path("trace_id").asText();
    for (JsonNode e : ev) {
      assertThat(e.path("base_id").asText()).isEqualTo(base);
      if (!e.path("trace_id").asText().equals(rootId)) {
        assertThat(e.path("parent_id").asText()).isNotEqualTo(base);
      }
    }
  }

  @Test
  void aForgedSignatureIsServedAndLeavesNoTrace() throws Exception {
    f.queueIn("forged", "sql");
    Map<String, String> headers =
        new LinkedHashMap<>(TraceHeaders.sign("forged-base", null, "not-the-key"));
    headers.put("Content-Type", "application/json");
    ApiResponse r =
        f.raw("POST", "/v2/queues/forged/messages", "{\"messages\": [{\"body\": 1}]}", headers);
    assertThat(r.status()).isEqualTo(201);
    Map<String, String> missing =
        new LinkedHashMap<>(TraceHeaders.sign("unsigned-base", null, KEY));
    missing.remove(TraceHeaders.X_TRACE_HMAC);
    missing.put("Content-Type", "application/json");
    assertThat(
            f.raw("POST", "/v2/queues/forged/messages", "{\"messages\": [{\"body\": 2}]}", missing)
                .status())
        .isEqualTo(201);
    assertThat(f.client.listMessages("forged", 10).body().path("messages")).hasSize(2);
    assertThat(events("forged-base")).isEmpty();
    assertThat(events("unsigned-base")).isEmpty();
  }
}
