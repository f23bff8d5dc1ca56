package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.storage.MessageStore;
import dev.weft.testapp.storage.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every API operation against real Jetty, H2, redis-server and mongo-java-server. */
class ApiEndToEndTest {
  static Fixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static List<String> ids(ApiResponse posted) {
    List<String> out = new ArrayList<>();
    for (JsonNode href : posted.body().path("resources")) {
      String h = href.asText();
      out.add(h.substring(h.lastIndexOf('/') + 1));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mongo", "redis", "sql"})
  void messagesRoundTripInEachPoolKind(String pool) throws Exception {
    String q = "rt-" + pool;
    f.queueIn(q, pool);
    assertThat(f.client.getQueue(q).body()).isEqualTo(json("{\"_pool\": \"" + pool + "\"}"));

    ApiResponse posted =
        f.client.postMessages(
            q,
            List.of(
                new QueueClient.Message(json("{\"n\": 1, \"s\": \"one\"}"), 120),
                new QueueClient.Message(json("[1, 2]"), 3600)));
    assertThat(posted.status()).isEqualTo(201);
    List<String> ids = ids(posted);
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    assertThat(posted.body().path("resources").get(0).asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(0));

    ApiResponse listed = f.client.listMessages(q, 10);
    assertThat(listed.status()).isEqualTo(200);
    JsonNode msgs = listed.body().path("messages");
    assertThat(msgs).hasSize(2);
    assertThat(msgs.get(0).path("id").asText()).isEqualTo(ids.get(0));
    assertThat(msgs.get(0).path("href").asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(0));
    assertThat(msgs.get(0).path("ttl").asInt()).isEqualTo(120);
    assertThat(msgs.get(0).path("body")).isEqualTo(json("{\"n\": 1, \"s\": \"one\"}"));
    assertThat(msgs.get(1).path("id").asText()).isEqualTo(ids.get(1));
    assertThat(msgs.get(1).path("ttl").asInt()).isEqualTo(3600);
    assertThat(msgs.get(1).path("body")).isEqualTo(json("[1, 2]"));
    assertThat(f.client.listMessages(q, 1).body().path("messages")).hasSize(1);

    ApiResponse got = f.client.getMessage(q, ids.get(1));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body().path("body")).isEqualTo(json("[1, 2]"));
    assertThat(got.body().path("id").asText()).isEqualTo(ids.get(1));

    assertThat(f.client.deleteMessage(q, ids.get(0)).status()).isEqualTo(204);
    ApiResponse gone = f.client.getMessage(q, ids.get(0));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body())
        .isEqualTo(
            json(
                "{\"title\": \"Not found\", \"description\": \"Message "
                    + ids.get(0)
                    + " does not exist in queue "
                    + q
                    + ".\"}"));
    // The message data lives in the queue's own pool.
    MessageStore store = f.api.pools().store(pool);
    assertThat(store.kind()).isEqualTo(Map.of("mongo", "mongodb").getOrDefault(pool, pool));
    assertThat(store.list(q, 20)).extracting(StoredMessage::id).containsExactly(ids.get(1));
    // Deleting a message that is gone is not an error (Zaqar).
    assertThat(f.client.deleteMessage(q, ids.get(0)).status()).isEqualTo(204);

    assertThat(f.client.deleteQueue(q).status()).isEqualTo(204);
    assertThat(store.list(q, 20)).isEmpty();
  }

  @Test
  void queuesAreCreatedListedAndDeleted() throws Exception {
    f.steerTo("sql");
    assertThat(f.client.createQueue("orders", json("{\"_default_message_ttl\": 300}")).status())
        .isEqualTo(201);
    assertThat(f.client.createQueue("orders", null).status()).isEqualTo(204);
    assertThat(f.client.getQueue("orders").body())
        .isEqualTo(json("{\"_default_message_ttl\": 300, \"_pool\": \"sql\"}"));
    ApiResponse list = f.client.listQueues();
    assertThat(list.status()).isEqualTo(200);
    assertThat(f.queueNames()).contains("orders");
    for (JsonNode q : list.body().path("queues")) {
      assertThat(q.path("href").asText()).isEqualTo("/v2/queues/" + q.path("name").asText());
    }
    assertThat(f.client.deleteQueue("orders").status()).isEqualTo(204);
    assertThat(f.queueNames()).doesNotContain("orders");
    assertThat(f.client.getQueue("orders").status()).isEqualTo(404);
    assertThat(f.api.management().queue("orders")).isNull();
  }

  @Test
  void poolsAreRegisteredListedAndTheirPasswordsHidden() throws Exception {
    String uri = "redis://:s3cret@127.0.0.1:" + f.redis.port() + "/1";
    assertThat(f.client.registerPool("secured", uri, 0).status()).isEqualTo(201);
    assertThat(f.client.registerPool("secured", uri, 0).status()).isEqualTo(204);
    JsonNode pools = f.client.listPools().body().path("pools");
    JsonNode secured = null;
    for (JsonNode p : pools) {
      if (p.path("name").asText().equals("secured")) {
        secured = p;
      }
    }
    assertThat(secured)
        .isEqualTo(
            json(
                "{\"name\": \"secured\", \"href\": \"/v2/pools/secured\", \"uri\":"
                    + " \"redis://:***@127.0.0.1:"
                    + f.redis.port()
                    + "/1\", \"weight\": 0, \"kind\": \"redis\"}"));
    assertThat(f.api.management().pool("secured").getUri()).isEqualTo(uri);
  }

  @Test
  void subscriptionsAreCreatedAndListed() throws Exception {
    f.queueIn("subs", "redis");
    ApiResponse created = f.client.createSubscription("subs", "http://127.0.0.1:9/hook", 600);
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().path("subscription_id").asText();
    JsonNode subs = f.client.listSubscriptions("subs").body().path("subscriptions");
    assertThat(subs).hasSize(1);
    assertThat(subs.get(0).path("id").asText()).isEqualTo(id);
    assertThat(subs.get(0).path("source").asText()).isEqualTo("subs");
    assertThat(subs.get(0).path("subscriber").asText()).isEqualTo("http://127.0.0.1:9/hook");
    assertThat(subs.get(0).path("ttl").asInt()).isEqualTo(600);
    assertThat(subs.get(0).path("options")).isEqualTo(json("{}"));
    f.client.deleteQueue("subs");
    assertThat(f.api.management().subscriptions("subs")).isEmpty();
  }

  // ---- refused requests: a JSON error, and nothing changed

  static void assertError(ApiResponse r, int status, String title, String description) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body())
        .isEqualTo(
            Fixture.JSON.createObjectNode().put("title", title).put("description", description));
  }

  @Test
  void unknownQueueIs404AndChangesNothing() throws Exception {
    f.steerTo("sql");
    List<String> before = f.queueNames();
    String desc = "Queue ghost does not exist.";
    assertError(
        f.client.postMessages("ghost", List.of(new QueueClient.Message(json("1"), 300))),
        404,
        "Not found",
        desc);
    assertError(f.client.listMessages("ghost", 10), 404, "Not found", desc);
    assertError(f.client.getMessage("ghost", "x"), 404, "Not found", desc);
    assertError(f.client.deleteMessage("ghost", "x"), 404, "Not found", desc);
    assertError(f.client.deleteQueue("ghost"), 404, "Not found", desc);
    assertError(f.client.getQueue("ghost"), 404, "Not found", desc);
    assertError(
        f.client.createSubscription("ghost", "http://127.0.0.1:9/x", 600), 404, "Not found", desc);
    assertError(f.client.listSubscriptions("ghost"), 404, "Not found", desc);
    assertThat(f.queueNames()).isEqualTo(before);
    assertThat(f.api.management().queue("ghost")).isNull();
    assertThat(f.api.management().subscriptions("ghost")).isEmpty();
    for (String pool : f.poolUris.keySet()) {
      assertThat(f.api.pools().store(pool).list("ghost", 20)).isEmpty();
    }
  }

  @Test
  void malformedJsonIs400AndChangesNothing() throws Exception {
    f.queueIn("malformed", "mongo");
    ApiResponse r = f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": [");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("title").asText()).isEqualTo("Invalid API request");
    assertThat(r.body().path("description").asText()).startsWith("Malformed JSON: ");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": []}"),
        400,
        "Invalid API request",
        "\"messages\" must be a non-empty list.");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": [{\"ttl\": 300}]}"),
        400,
        "Invalid API request",
        "Each message must be an object with a \"body\".");
    assertError(
        f.raw(
            "POST", "/v2/queues/malformed/messages", "{\"messages\": [{\"body\": 1, \"ttl\": 5}]}"),
        400,
        "Invalid API request",
        "\"ttl\" must be between 60 and 1209600 seconds.");
    // A batch with one bad message stores none of it.
    assertError(
        f.raw(
            "POST",
            "/v2/queues/malformed/messages",
            "{\"messages\": [{\"body\": 1}, {\"body\": 2, \"ttl\": \"x\"}]}"),
        400,
        "Invalid API request",
        "\"ttl\" must be an integer.");
    ApiResponse m = f.raw("PUT", "/v2/queues/malformed-meta", "[1, 2");
    assertThat(m.status()).isEqualTo(400);
    assertThat(f.client.listMessages("malformed", 10).body().path("messages")).isEmpty();
    assertThat(f.api.pools().store("mongo").list("malformed", 20)).isEmpty();
    assertThat(f.api.management().queue("malformed-meta")).isNull();
    assertThat(f.queueNames()).doesNotContain("malformed-meta");
  }

  @Test
  void oversizedBodyIs413AndChangesNothing() throws Exception {
    f.queueIn("big", "redis");
    String big = "x".repeat(300 * 1024);
    String desc = "The request body may be at most 262144 bytes.";
    assertError(
        f.raw("POST", "/v2/queues/big/messages", "{\"messages\": [{\"body\": \"" + big + "\"}]}"),
        413,
        "Request body too large",
        desc);
    assertError(
        f.raw("PUT", "/v2/queues/big-meta", "{\"m\": \"" + big + "\"}"),
        413,
        "Request body too large",
        desc);
    assertThat(f.api.pools().store("redis").list("big", 20)).isEmpty();
    assertThat(f.api.management().queue("big-meta")).isNull();
    // Just under the limit is accepted.
    String fits = "y".repeat(200 * 1024);
    assertThat(
            f.raw(
                    "POST",
                    "/v2/queues/big/messages",
                    "{\"messages\": [{\"body\": \"" + fits + "\"}]}")
                .status())
        .isEqualTo(201);
    assertThat(f.api.pools().store("redis").list("big", 20)).hasSize(1);
  }

  @Test
  void invalidNamesAre400AndChangeNothing() throws Exception {
    List<String> before = f.queueNames();
    String desc =
        "The queue name is invalid: it may have only letters, digits, '_' and '-', 1 to 64"
            + " characters.";
    assertError(f.client.createQueue("bad.name", null), 400, "Invalid API request", desc);
    assertError(f.client.createQueue("q".repeat(65), null), 400, "Invalid API request", desc);
    assertError(f.client.createQueue("spa ce", null), 400, "Invalid API request", desc);
    assertThat(f.client.createQueue("q".repeat(64), null).status()).isEqualTo(201);
    f.client.deleteQueue("q".repeat(64));
    assertThat(f.queueNames()).isEqualTo(before);

    List<String> pools = new ArrayList<>();
    f.client.listPools().body().path("pools").forEach(p -> pools.add(p.toString()));
    assertError(
        f.client.registerPool("bad.pool", "redis://127.0.0.1:1/0", 1),
        400,
        "Invalid API request",
        "The pool name is invalid: it may have only letters, digits, '_' and '-', 1 to 64"
            + " characters.");
    assertError(
        f.client.registerPool("ftp", "ftp://127.0.0.1/x", 1),
        400,
        "Invalid API request",
        "\"uri\" must be a mongodb://, redis://, jdbc:h2: or jdbc:postgresql: URI.");
    assertError(
        f.raw("PUT", "/v2/pools/noweight", "{\"uri\": \"redis://127.0.0.1:1/0\"}"),
        400,
        "Invalid API request",
        "\"weight\" is required and must be an integer.");
    assertError(
        f.client.registerPool("negative", "redis://127.0.0.1:1/0", -1),
        400,
        "Invalid API request",
        "\"weight\" must be an integer of 0 or more.");
    List<String> after = new ArrayList<>();
    f.client.listPools().body().path("pools").forEach(p -> after.add(p.toString()));
    assertThat(after).isEqualTo(pools);
  }

  @Test
  void invalidSubscriptionsAre400AndChangeNothing() throws Exception {
    f.queueIn("hooks", "sql");
    assertError(
        f.client.createSubscription("hooks", "mailto:ops@example.org", 600),
        400,
        "Invalid API request",
        "\"subscriber\" must be an http:// or https:// URL.");
    assertError(
        f.client.createSubscription("hooks", "http://127.0.0.1:9/x", 5),
        400,
        "Invalid API request",
        "\"ttl\" must be at least 60 seconds.");
    assertThat(f.api.management().subscriptions("hooks")).isEmpty();
    assertThat(f.client.listSubscriptions("hooks").body().path("subscriptions")).isEmpty();
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() throws Exception {
    assertError(f.raw("GET", "/v2/queues/a/b/c/d", null), 404, "Not found", "No such resource.");
    assertError(
        f.raw("POST", "/v2/queues", "{}"),
        405,
        "Method not allowed",
        "This method is not allowed here.");
    assertThat(f.raw("GET", "/v2/ping", null).status()).isEqualTo(204);
  }
}
