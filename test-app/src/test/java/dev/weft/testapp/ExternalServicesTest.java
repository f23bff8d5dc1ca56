package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API with its management data in PostgreSQL and Redis/PostgreSQL pools at 127.0.0.1 (CI's
 * services). Runs only with {@code WEFT_IT_SERVICES=1}; each run uses its own PostgreSQL schema and
 * queue names, and removes them afterwards.
 */
class ExternalServicesTest {
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static String schema;
  static Fixture f;

  static final boolean ENABLED = "1".equals(System.getenv("WEFT_IT_SERVICES"));

  @BeforeEach
  void onlyWithServices() {
    Assumptions.assumeTrue(
        ENABLED,
        "PostgreSQL/Redis suite skipped: set WEFT_IT_SERVICES=1 with PostgreSQL at 127.0.0.1:5432"
            + " (db test, user postgres) and Redis at 127.0.0.1:6379");
  }

  @BeforeAll
  static void start() throws Exception {
    if (!ENABLED) {
      return;
    }
    schema = "weft_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = PG + "&currentSchema=" + schema;
    Map<String, String> pools = new LinkedHashMap<>();
    pools.put("redis", "redis://127.0.0.1:6379/0");
    pools.put("postgres", url);
    f = new Fixture(null, null, url, pools);
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      for (String q : f.queueNames()) {
        f.client.deleteQueue(q);
      }
      f.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(PG);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  void messagesRoundTripInRedisAndPostgresPools() throws Exception {
    for (String pool : List.of("redis", "postgres")) {
      String q = schema.replace('_', '-') + "-" + pool;
      f.queueIn(q, pool);
      assertThat(f.api.management().queue(q).getPool()).isEqualTo(pool);
      ApiResponse posted =
          f.client.postMessages(q, List.of(new QueueClient.Message(json("{\"p\": 1}"), 300)));
      assertThat(posted.status()).isEqualTo(201);
      JsonNode msgs = f.client.listMessages(q, 10, true, false).body().path("messages");
      assertThat(msgs).hasSize(1);
      assertThat(msgs.get(0).path("body")).isEqualTo(json("{\"p\": 1}"));
      String id = msgs.get(0).path("id").asText();
      assertThat(f.client.getMessage(q, id).body().path("id").asText()).isEqualTo(id);
      assertThat(f.client.deleteMessage(q, id).status()).isEqualTo(204);
      assertThat(f.api.pools().store(pool).list(q, 10)).isEmpty();
      assertThat(f.client.getMessage("ghost-" + q, id).status()).isEqualTo(404);
      assertThat(f.client.deleteQueue(q).status()).isEqualTo(204);
      assertThat(f.api.management().queue(q)).isNull();
    }
  }

  @Test
  void subscriptionsLiveInPostgres() throws Exception {
    String q = schema.replace('_', '-') + "-subs";
    f.queueIn(q, "postgres");
    f.client.createSubscription(q, f.subscriber.webhookUrl(), 600);
    int before = f.subscriber.log().all().size();
    f.client.postMessages(q, List.of(new QueueClient.Message(json("\"hello\""), 300)));
    assertThat(f.subscriber.log().all()).hasSize(before + 1);
    assertThat(f.api.management().subscriptions(q)).hasSize(1);
  }
}
