package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.storage.MessageStore;
import dev.weft.testapp.storage.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    ApiResponse queue = f.client.getQueue(q);
    assertThat(queue.body()).isEqualTo(json(RESERVED));
    assertThat(queue.header("x-queue-pool")).isEqualTo(pool);

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

    // Zaqar leaves a client's own messages out of its listings unless it asks for them (echo).
    assertThat(f.client.listMessages(q, 10).body())
        .isEqualTo(json("{\"messages\": [], \"links\": []}"));
    ApiResponse listed = f.client.listMessages(q, 10, true, false);
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
    assertThat(f.client.listMessages(q, 1, true, false).body().path("messages")).hasSize(1);
    // Another client sees them without echo.
    assertThat(f.otherClient().listMessages(q, 10).body().path("messages")).hasSize(2);

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
                    + " for project weft-test-app\"}"));
    // The message data lives in the queue's own pool.
    MessageStore store = f.api.pools().store(pool);
    assertThat(store.kind()).isEqualTo(Map.of("mongo", "mongodb").getOrDefault(pool, pool));
    assertThat(store.list(q, 20)).extracting(StoredMessage::id).containsExactly(ids.get(1));
    // Deleting a message that is gone is not an error (Zaqar).
    assertThat(f.client.deleteMessage(q, ids.get(0)).status()).isEqualTo(204);

    assertThat(f.client.deleteQueue(q).status()).isEqualTo(204);
    assertThat(store.list(q, 20)).isEmpty();
  }

  /** The reserved metadata Zaqar adds to every queue document, with its defaults. */
  static final String RESERVED =
      "{\"_max_messages_post_size\": 262144, \"_default_message_ttl\": 3600,"
          + " \"_default_message_delay\": 0, \"_dead_letter_queue\": null,"
          + " \"_dead_letter_queue_messages_ttl\": null, \"_max_claim_count\": null,"
          + " \"_enable_encrypt_messages\": false}";

  /** The reserved metadata with {@code fields} (a JSON object's members) on top. */
  static JsonNode reservedWith(String fields) {
    com.fasterxml.jackson.databind.node.ObjectNode n =
        (com.fasterxml.jackson.databind.node.ObjectNode) json(RESERVED);
    n.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json(fields));
    return n;
  }

  @Test
  void queuesAreCreatedListedAndDeleted() throws Exception {
    f.steerTo("sql");
    assertThat(f.client.createQueue("orders", json("{\"_default_message_ttl\": 300}")).status())
        .isEqualTo(201);
    assertThat(f.client.createQueue("orders", null).status()).isEqualTo(204);
    ApiResponse got = f.client.getQueue("orders");
    assertThat(got.body()).isEqualTo(reservedWith("{\"_default_message_ttl\": 300}"));
    assertThat(got.header("x-queue-pool")).isEqualTo("sql");
    ApiResponse list = f.client.listQueues();
    assertThat(list.status()).isEqualTo(200);
    assertThat(f.queueNames()).contains("orders");
    for (JsonNode q : list.body().path("queues")) {
      assertThat(q.path("href").asText()).isEqualTo("/v2/queues/" + q.path("name").asText());
    }
    assertThat(f.client.deleteQueue("orders").status()).isEqualTo(204);
    assertThat(f.queueNames()).doesNotContain("orders");
    // A queue that is not there answers the defaults (Zaqar's pooled driver), and no pool.
    ApiResponse gone = f.client.getQueue("orders");
    assertThat(gone.status()).isEqualTo(200);
    assertThat(gone.body()).isEqualTo(json(RESERVED));
    assertThat(gone.header("x-queue-pool")).isNull();
    assertThat(f.api.management().queue("orders")).isNull();
  }

  @Test
  void poolsAreRegisteredListedAndTheirPasswordsHidden() throws Exception {
    String uri = "redis://:s3cret@127.0.0.1:" + f.redis.port() + "/1";
    // Zaqar's PUT is an upsert, 201 each time.
    assertThat(f.client.registerPool("secured", uri, 0).status()).isEqualTo(201);
    assertThat(f.client.registerPool("secured", uri, 0).status()).isEqualTo(201);
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
                    + "/1\", \"weight\": 0, \"flavor\": null, \"kind\": \"redis\"}"));
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
    assertThat(subs.get(0).path("confirmed").asBoolean(true)).isFalse();
    f.client.deleteQueue("subs");
    assertThat(f.api.management().subscriptions("subs")).isEmpty();
  }

  // ---- claims, stats, bulk deletes and pops

  @ParameterizedTest
  @ValueSource(strings = {"mongo", "redis", "sql"})
  void claimsHideMessagesFromListsAndOtherClaimsAndGuardTheirDeletion(String pool)
      throws Exception {
    String q = "claims-" + pool;
    f.queueIn(q, pool);
    List<String> ids =
        ids(
            f.client.postMessages(
                q,
                List.of(
                    new QueueClient.Message(json("\"a\""), 600),
                    new QueueClient.Message(json("\"b\""), 600),
                    new QueueClient.Message(json("\"c\""), 100))));
    QueueClient consumer = f.otherClient();

    ApiResponse first = consumer.createClaim(q, 300, 60, 2);
    assertThat(first.status()).isEqualTo(201);
    String c1 = first.locationId();
    assertThat(first.header("location")).isEqualTo("/v2/queues/" + q + "/claims/" + c1);
    JsonNode held = first.body().path("messages");
    assertThat(held).hasSize(2);
    assertThat(held.get(0).path("id").asText()).isEqualTo(ids.get(0));
    assertThat(held.get(0).path("href").asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(0) + "?claim_id=" + c1);
    assertThat(held.get(1).path("body")).isEqualTo(json("\"b\""));

    // Claimed messages: not listed unless asked for, not claimed again.
    JsonNode listed = consumer.listMessages(q, 10).body().path("messages");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("id").asText()).isEqualTo(ids.get(2));
    assertThat(consumer.listMessages(q, 10, false, true).body().path("messages")).hasSize(3);
    ApiResponse second = consumer.createClaim(q, 120, 60, 5);
    assertThat(second.status()).isEqualTo(201);
    String c2 = second.locationId();
    assertThat(second.body().path("messages")).hasSize(1);
    // c (100 s) would die before the claim (120 s): it lives to the claim's end plus the grace.
    assertThat(second.body().path("messages").get(0).path("ttl").asInt()).isEqualTo(180);
    assertThat(consumer.createClaim(q, 60, 60, 5).status()).isEqualTo(204);

    JsonNode stats = f.client.queueStats(q).body().path("messages");
    assertThat(stats.path("claimed").asInt()).isEqualTo(3);
    assertThat(stats.path("free").asInt()).isZero();
    assertThat(stats.path("total").asInt()).isEqualTo(3);
    assertThat(stats.path("oldest").path("href").asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(0));
    assertThat(stats.path("newest").path("href").asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(2));

    ApiResponse claim = consumer.getClaim(q, c1);
    assertThat(claim.body().path("ttl").asInt()).isEqualTo(300);
    assertThat(claim.body().path("href").asText()).isEqualTo("/v2/queues/" + q + "/claims/" + c1);
    assertThat(claim.body().path("messages")).hasSize(2);
    assertThat(consumer.updateClaim(q, c1, 900, 120).status()).isEqualTo(204);
    JsonNode renewed = consumer.getClaim(q, c1).body();
    assertThat(renewed.path("ttl").asInt()).isEqualTo(900);
    // Both messages (600 s) would die before the claim: they live to its end plus the grace.
    assertThat(renewed.path("messages").get(0).path("ttl").asInt()).isEqualTo(1020);

    // Deleting a claimed message takes its claim id.
    assertError(
        f.client.deleteMessage(q, ids.get(0)),
        403,
        "Unable to delete",
        "This message is claimed; it cannot be deleted without a valid claim ID.");
    assertError(
        f.client.deleteMessage(q, ids.get(0), c2),
        403,
        "Unable to delete",
        "This message is claimed; it cannot be deleted without a valid claim ID.");
    assertError(
        f.client.deleteMessage(q, ids.get(0), "not-a-claim"),
        400,
        "Unable to delete",
        "The specified claim does not exist or has expired.");
    assertThat(f.client.deleteMessage(q, ids.get(0), c1).status()).isEqualTo(204);
    assertThat(f.api.pools().store(pool).get(q, ids.get(0))).isNull();

    // Releasing a claim frees its messages; the claim is gone.
    assertThat(consumer.deleteClaim(q, c2).status()).isEqualTo(204);
    assertError(
        consumer.getClaim(q, c2),
        404,
        "Not found",
        "Claim " + c2 + " does not exist in queue " + q + " for project weft-test-app");
    assertError(
        f.client.deleteMessage(q, ids.get(2), c2),
        400,
        "Unable to delete",
        "A claim was specified, but the message is not currently claimed.");
    JsonNode free = consumer.listMessages(q, 10).body().path("messages");
    assertThat(free).hasSize(1);
    assertThat(free.get(0).path("href").asText())
        .isEqualTo("/v2/queues/" + q + "/messages/" + ids.get(2));

    // Pop takes the unclaimed ones only; a bulk delete takes claimed ones too.
    JsonNode popped = f.client.popMessages(q, 5).body().path("messages");
    assertThat(popped).hasSize(1);
    assertThat(popped.get(0).path("id").asText()).isEqualTo(ids.get(2));
    assertThat(popped.get(0).path("body")).isEqualTo(json("\"c\""));
    assertThat(f.client.deleteMessages(q, List.of(ids.get(1), "gone")).status()).isEqualTo(204);
    assertThat(f.api.pools().store(pool).list(q, 20)).isEmpty();
    f.client.deleteQueue(q);
  }

  @Test
  void metadataIsPatchedWithJsonPatchAsZaqarDoes() throws Exception {
    f.queueIn("patched", "sql");
    ApiResponse r =
        f.client.patchQueue(
            "patched",
            json(
                "[{\"op\": \"add\", \"path\": \"/metadata/team\", \"value\": \"ops\"},"
                    + " {\"op\": \"replace\", \"path\": \"/metadata/_default_message_ttl\","
                    + " \"value\": 120}]"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(reservedWith("{\"team\": \"ops\", \"_default_message_ttl\": 120}"));
    assertThat(json(f.api.management().queue("patched").getMetadata()))
        .isEqualTo(json("{\"team\": \"ops\", \"_default_message_ttl\": 120}"));
    // The queue's default ttl now applies to posts without one.
    f.client.postMessages(
        "patched",
        List.of(new QueueClient.Message(json("1"), 60), new QueueClient.Message(json("2"), 61)));
    ApiResponse noTtl =
        f.raw("POST", "/v2/queues/patched/messages", "{\"messages\": [{\"body\": 3}]}");
    assertThat(noTtl.status()).isEqualTo(201);
    assertThat(
            f.client
                .listMessages("patched", 10, true, false)
                .body()
                .path("messages")
                .get(2)
                .path("ttl")
                .asInt())
        .isEqualTo(120);
    assertError(
        f.client.patchQueue(
            "patched", json("[{\"op\": \"remove\", \"path\": \"/metadata/nothing\"}]")),
        409,
        "Resource conflict",
        "Can't remove non-existent object nothing.");
    assertError(
        f.client.patchQueue(
            "patched", json("[{\"op\": \"add\", \"path\": \"/metadata/a/b\", \"value\": 1}]")),
        400,
        "Invalid request body",
        "Invalid JSON pointer for this resource: '/metadata/a/b, e.g /metadata/key'");
    ApiResponse plain =
        f.raw("PATCH", "/v2/queues/patched", "[]", Map.of("Content-Type", "application/json"));
    assertError(
        plain,
        415,
        "415 Unsupported Media Type",
        "Accepted media type for PATCH: {'Accept-Patch':"
            + " 'application/openstack-messaging-v2.0-json-patch'}.");
    assertError(
        f.client.patchQueue(
            "never-made", json("[{\"op\": \"add\", \"path\": \"/metadata/a\", \"value\": 1}]")),
        404,
        "Not found",
        "Queue never-made does not exist for project weft-test-app");
    assertThat(f.api.management().queue("never-made")).isNull();
    f.client.deleteQueue("patched");
  }

  @Test
  void flavorsPlaceTheirQueuesInTheirPools() throws Exception {
    f.steerTo("redis");
    // PUT replaces a pool (its flavor too): weigh mongo in before the flavor takes it.
    assertThat(f.client.registerPool("mongo", f.poolUris.get("mongo"), 3).status()).isEqualTo(201);
    ApiResponse created = f.raw("PUT", "/v2/flavors/gold", "{\"pool_list\": [\"mongo\"]}");
    assertThat(created.status()).isEqualTo(201);
    try {
      assertThat(f.client.createQueue("golden", json("{\"_flavor\": \"gold\"}")).status())
          .isEqualTo(201);
      assertThat(f.client.getQueue("golden").header("x-queue-pool")).isEqualTo("mongo");
      assertThat(f.client.createQueue("plain", null).status()).isEqualTo(201);
      assertThat(f.client.getQueue("plain").header("x-queue-pool")).isEqualTo("redis");
      assertThat(f.raw("GET", "/v2/flavors/gold", null).body())
          .isEqualTo(
              json(
                  "{\"name\": \"gold\", \"capabilities\": [\"FIFO\", \"CLAIMS\","
                      + " \"DURABILITY\", \"AOD\", \"HIGH_THROUGHPUT\"], \"pool_list\":"
                      + " [\"mongo\"], \"href\": \"/v2/flavors/gold\"}"));
      assertError(
          f.client.createQueue("tin", json("{\"_flavor\": \"tin\"}")),
          400,
          "Invalid API request",
          "Flavor tin does not exist");
    } finally {
      assertThat(f.raw("DELETE", "/v2/flavors/gold", null).status()).isEqualTo(204);
      f.client.deleteQueue("golden");
      f.client.deleteQueue("plain");
    }
    assertThat(f.api.management().pool("mongo").getFlavor()).isNull();
  }

  @Test
  void strictHeadersAsZaqarRequiresThem() throws Exception {
    try (ApiService strict =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl("jdbc:h2:mem:strict-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .strictHeaders(true))) {
      String base = strict.baseUri().toString();
      assertError(
          Fixture.rawTo(base, "GET", "/v2/queues", null, Map.of("X-Project-ID", "p")),
          400,
          "Missing header value",
          "The \"Client-ID\" header is required.");
      assertError(
          Fixture.rawTo(
              base, "GET", "/v2/queues", null, Map.of("X-Project-ID", "p", "Client-ID", "abc")),
          400,
          "Wrong UUID value",
          "Malformed hexadecimal UUID.");
      assertError(
          Fixture.rawTo(
              base,
              "GET",
              "/v2/queues",
              null,
              Map.of("Client-ID", "0b8f3c5e2a3e4f6d9c1b2a3e4f5d6c7b")),
          400,
          "Project-Id Missing",
          "The header X-PROJECT-ID was missing");
      assertThat(
              Fixture.rawTo(
                      base,
                      "GET",
                      "/v2/queues",
                      null,
                      Map.of(
                          "Client-ID", "{0b8f3c5e-2a3e-4f6d-9c1b-2a3e4f5d6c7b}",
                          "X-Project-ID", "p"))
                  .status())
          .isEqualTo(200);
      assertThat(new QueueClient(strict.baseUri()).listQueues().status()).isEqualTo(200);
    }
  }

  @Test
  void sharedQueuesAreSignedAsZaqarSignsThem() throws Exception {
    String key = "share-secret";
    try (ApiService signing =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl("jdbc:h2:mem:share-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .signedUrlKey(key))) {
      String base = signing.baseUri().toString();
      Map<String, String> h = Map.of("Content-Type", "application/json", "X-Project-ID", "p");
      ApiResponse r =
          Fixture.rawTo(
              base,
              "POST",
              "/v2/queues/shared/share",
              "{\"paths\": [\"messages\"], \"methods\": [\"POST\", \"GET\"],"
                  + " \"expires\": \"2999-01-02T03:04:05.678901\"}",
              h);
      assertThat(r.status()).isEqualTo(200);
      // The signature of zaqar.common.urls.create_signed_url for the same inputs.
      String body = "/v2/queues/shared/messages\\nGET,POST\\np\\n2999-01-02T03:04:05";
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      String signature =
          java.util.HexFormat.of()
              .formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(r.body())
          .isEqualTo(
              json(
                  "{\"paths\": [\"/v2/queues/shared/messages\"], \"methods\": [\"GET\","
                      + " \"POST\"], \"project\": \"p\", \"expires\":"
                      + " \"2999-01-02T03:04:05\", \"signature\": \""
                      + signature
                      + "\"}"));
      Map<String, String> signed =
          Map.of(
              "X-Project-ID", "p",
              "URL-Signature", signature,
              "URL-Expires", "2999-01-02T03:04:05",
              "URL-Methods", "GET,POST",
              "URL-Paths", "/v2/queues/shared/messages");
      assertThat(Fixture.rawTo(base, "GET", "/v2/queues/shared/messages", null, signed).status())
          .isEqualTo(200);
      assertError(
          Fixture.rawTo(base, "DELETE", "/v2/queues/shared/messages?pop=1", null, signed),
          404,
          "404 Not Found",
          null);
      Map<String, String> forged = new java.util.HashMap<>(signed);
      forged.put("URL-Signature", "0".repeat(64));
      assertError(
          Fixture.rawTo(base, "GET", "/v2/queues/shared/messages", null, forged),
          404,
          "404 Not Found",
          null);
    }
    // Without a secret, as Zaqar without [signed_url] secret_key.
    assertError(
        f.raw("POST", "/v2/queues/shared/share", "{}"),
        400,
        "Invalid API request",
        "The `key` can't be None");
  }

  @Test
  void theServiceAnswersItsHomeDocumentHealthAndPing() throws Exception {
    ApiResponse home = f.raw("GET", "/v2/", null);
    assertThat(home.status()).isEqualTo(200);
    assertThat(home.body().path("resources").path("rel/queue").path("href-template").asText())
        .isEqualTo("/v2/queues/{queue_name}");
    assertThat(home.body().path("resources").size()).isEqualTo(24);
    JsonNode health = f.raw("GET", "/v2/health", null).body();
    // Every registered pool is reported; the catalog is reachable when all of them are.
    boolean all = true;
    for (JsonNode p : f.client.listPools(20, null).body().path("pools")) {
      all &= health.path(p.path("name").asText()).path("storage_reachable").asBoolean();
    }
    assertThat(health.path("catalog_reachable").asBoolean()).isEqualTo(all);
    for (String pool : f.poolUris.keySet()) {
      assertThat(health.path(pool).path("storage_reachable").asBoolean()).as(pool).isTrue();
      JsonNode ops = health.path(pool).path("operation_status");
      assertThat(ops.size()).as(pool).isEqualTo(8);
      ops.forEach(o -> assertThat(o.path("succeeded").asBoolean()).as(pool + " " + o).isTrue());
    }
    assertThat(f.raw("HEAD", "/v2/ping", null).status()).isEqualTo(204);
    assertThat(f.raw("GET", "/v2/ping", null).status()).isEqualTo(204);
    ApiResponse head = f.raw("HEAD", "/v2/health", null);
    assertThat(head.status()).isEqualTo(405);
  }

  // ---- refused requests: a JSON error, and nothing changed

  static void assertError(ApiResponse r, int status, String title, String description) {
    assertThat(r.status()).isEqualTo(status);
    com.fasterxml.jackson.databind.node.ObjectNode want =
        Fixture.JSON.createObjectNode().put("title", title);
    if (description != null) {
      want.put("description", description);
    }
    assertThat(r.body()).isEqualTo(want);
  }

  @Test
  void unknownQueuesAnswerAsZaqarsPooledDriverAndReadsChangeNothing() throws Exception {
    f.steerTo("sql");
    List<String> before = f.queueNames();
    assertThat(f.client.getQueue("ghost").body()).isEqualTo(json(RESERVED));
    assertThat(f.client.listMessages("ghost", 10).body())
        .isEqualTo(json("{\"messages\": [], \"links\": []}"));
    assertThat(f.client.queueStats("ghost").body())
        .isEqualTo(json("{\"messages\": {\"claimed\": 0, \"free\": 0, \"total\": 0}}"));
    assertError(
        f.client.getMessage("ghost", "x"),
        404,
        "Not found",
        "Queue ghost does not exist for project weft-test-app");
    assertError(
        f.client.getMessages("ghost", List.of("x", "y")),
        404,
        "Not found",
        "No messages with IDs: ['x', 'y'] found in the queue ghost for project weft-test-app.");
    assertError(
        f.client.getClaim("ghost", "c"),
        404,
        "Not found",
        "Claim c does not exist in queue ghost for project weft-test-app");
    assertThat(f.client.createClaim("ghost", 60, 60, 1).status()).isEqualTo(204);
    assertThat(f.client.deleteMessage("ghost", "x").status()).isEqualTo(204);
    assertThat(f.client.deleteQueue("ghost").status()).isEqualTo(204);
    assertThat(f.client.listSubscriptions("ghost").body())
        .isEqualTo(json("{\"subscriptions\": [], \"links\": []}"));
    assertThat(f.queueNames()).isEqualTo(before);
    assertThat(f.api.management().queue("ghost")).isNull();
    for (String pool : f.poolUris.keySet()) {
      assertThat(f.api.pools().store(pool).list("ghost", 20)).isEmpty();
    }
    // The first post creates the queue (Zaqar v2 never needs a PUT), in a pool chosen by weight.
    assertThat(
            f.client
                .postMessages("ghost", List.of(new QueueClient.Message(json("1"), 300)))
                .status())
        .isEqualTo(201);
    assertThat(f.api.management().queue("ghost").getPool()).isEqualTo("sql");
    assertThat(f.api.pools().store("sql").list("ghost", 20)).hasSize(1);
    // So does a subscription.
    assertThat(f.client.createSubscription("ghost-2", "http://127.0.0.1:9/x", 600).status())
        .isEqualTo(201);
    assertThat(f.api.management().queue("ghost-2").getPool()).isEqualTo("sql");
    f.client.deleteQueue("ghost");
    f.client.deleteQueue("ghost-2");
  }

  @Test
  void malformedJsonIs400AndChangesNothing() throws Exception {
    f.queueIn("malformed", "mongo");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": ["),
        400,
        "Invalid request body",
        "Request body could not be parsed.");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": []}"),
        400,
        "Invalid API request",
        "No messages to enqueu.");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"bodies\": []}"),
        400,
        "Invalid API request",
        "No messages were found in the request body.");
    assertError(
        f.raw("POST", "/v2/queues/malformed/messages", "{\"messages\": [{\"ttl\": 300}]}"),
        400,
        "Invalid request body",
        "Missing \"body\" field.");
    assertError(
        f.raw(
            "POST", "/v2/queues/malformed/messages", "{\"messages\": [{\"body\": 1, \"ttl\": 5}]}"),
        400,
        "Invalid API request",
        "The TTL for a message may not exceed 1209600 seconds, and must be at least 60 seconds"
            + " long.");
    // A batch with one bad message stores none of it.
    assertError(
        f.raw(
            "POST",
            "/v2/queues/malformed/messages",
            "{\"messages\": [{\"body\": 1}, {\"body\": 2, \"ttl\": \"x\"}]}"),
        400,
        "Invalid request body",
        "The value of the \"ttl\" field must be a int.");
    // A refused post to a queue that does not exist yet does not create it.
    assertError(
        f.raw("POST", "/v2/queues/malformed-new/messages", "{\"messages\": 7}"),
        400,
        "Invalid request body",
        "Document type not supported.");
    assertError(
        f.raw("PUT", "/v2/queues/malformed-meta", "[1, 2"),
        400,
        "Invalid request body",
        "Request body could not be parsed.");
    assertError(
        f.raw("PUT", "/v2/queues/malformed-meta", "[1, 2]"),
        400,
        "Invalid request body",
        "Document type not supported.");
    assertError(
        f.raw("PUT", "/v2/queues/malformed-meta", "{\"_default_message_ttl\": 10}"),
        400,
        "Invalid API request",
        "_default_message_ttl can not exceed 1209600 seconds, and must be at least 60 seconds"
            + " long.");
    assertThat(f.client.listMessages("malformed", 10).body().path("messages")).isEmpty();
    assertThat(f.api.pools().store("mongo").list("malformed", 20)).isEmpty();
    assertThat(f.api.management().queue("malformed-meta")).isNull();
    assertThat(f.api.management().queue("malformed-new")).isNull();
    assertThat(f.queueNames()).doesNotContain("malformed-meta", "malformed-new");
  }

  @Test
  void oversizedBodiesAre400AsZaqarWordsThemAndChangeNothing() throws Exception {
    f.queueIn("big", "redis");
    String big = "x".repeat(300 * 1024);
    assertError(
        f.raw("POST", "/v2/queues/big/messages", "{\"messages\": [{\"body\": \"" + big + "\"}]}"),
        400,
        "Invalid API request",
        "Message collection size is too large. Max size 262144");
    assertError(
        f.raw("PUT", "/v2/queues/big-meta", "{\"m\": \"" + big + "\"}"),
        400,
        "Invalid API request",
        "Queue metadata is too large. Max size: 65536");
    // Bodies Zaqar sets no limit for: the test-app's own bound.
    assertError(
        f.raw("PUT", "/v2/pools/big-pool", "{\"uri\": \"" + big + "\", \"weight\": 1}"),
        413,
        "Request body too large",
        "The request body may be at most 262144 bytes.");
    assertThat(f.api.pools().store("redis").list("big", 20)).isEmpty();
    assertThat(f.api.management().queue("big-meta")).isNull();
    assertThat(f.api.management().pool("big-pool")).isNull();
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
    f.steerTo("sql");
    List<String> before = f.queueNames();
    for (String bad : List.of("q".repeat(65), "spa%20ce", "bad$name")) {
      assertError(
          f.raw("PUT", "/v2/queues/" + bad, null),
          400,
          "Invalid queue identification",
          "The format of the submitted queue name or project id is not valid.");
      assertError(
          f.raw("POST", "/v2/queues/" + bad + "/messages", "{\"messages\": [{\"body\": 1}]}"),
          400,
          "Invalid queue identification",
          "The format of the submitted queue name or project id is not valid.");
    }
    // Zaqar 15 allows dots.
    assertThat(f.client.createQueue("dotted.name", null).status()).isEqualTo(201);
    f.client.deleteQueue("dotted.name");
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
        "Invalid request body",
        "\"uri\" must be a mongodb://, redis://, jdbc:h2: or jdbc:postgresql: URI.");
    assertError(
        f.raw("PUT", "/v2/pools/noweight", "{\"uri\": \"redis://127.0.0.1:1/0\"}"),
        400,
        "Invalid request body",
        "\"weight\" is required and must be an integer.");
    assertError(
        f.client.registerPool("negative", "redis://127.0.0.1:1/0", -1),
        400,
        "Invalid request body",
        "\"weight\" must be an integer of 0 or more.");
    assertError(
        f.raw("PUT", "/v2/pools/broken", "{\"uri\": "),
        400,
        "Invalid request body",
        "JSON could not be parsed.");
    List<String> after = new ArrayList<>();
    f.client.listPools().body().path("pools").forEach(p -> after.add(p.toString()));
    assertThat(after).isEqualTo(pools);
  }

  @Test
  void invalidSubscriptionsAre400AndChangeNothing() throws Exception {
    f.queueIn("hooks", "sql");
    assertError(
        f.client.createSubscription("hooks", "ftp://example.org/x", 600),
        400,
        "Invalid API request",
        "The subscriber type of subscription must be supported in the list ['http', 'https',"
            + " 'mailto', 'trust+http', 'trust+https'].");
    assertError(
        f.client.createSubscription("hooks", "http://127.0.0.1:9/x", 5),
        400,
        "Invalid API request",
        "The TTL for a subscription must be at least 60 seconds long.");
    assertError(
        f.raw("POST", "/v2/queues/hooks/subscriptions", "{\"ttl\": 600}"),
        400,
        "Invalid API request",
        "Missing parameter subscriber in body.");
    assertError(
        f.raw("POST", "/v2/queues/hooks-new/subscriptions", "{\"subscriber\": \"gopher://x\"}"),
        400,
        "Invalid API request",
        "The subscriber type of subscription must be supported in the list ['http', 'https',"
            + " 'mailto', 'trust+http', 'trust+https'].");
    assertThat(f.api.management().subscriptions("hooks")).isEmpty();
    assertThat(f.api.management().queue("hooks-new")).isNull();
    assertThat(f.client.listSubscriptions("hooks").body().path("subscriptions")).isEmpty();
  }

  @Test
  void unknownPathsAndMethodsAreFalconsErrors() throws Exception {
    assertError(f.raw("GET", "/v2/queues/a/b/c/d", null), 404, "404 Not Found", null);
    assertError(f.raw("GET", "/v2/nothing", null), 404, "404 Not Found", null);
    ApiResponse r = f.raw("POST", "/v2/queues", "{}");
    assertError(r, 405, "405 Method Not Allowed", null);
    assertThat(r.header("allow")).isEqualTo("GET, OPTIONS");
    ApiResponse item = f.raw("POST", "/v2/queues/q1", "{}");
    assertThat(item.header("allow")).isEqualTo("DELETE, GET, PATCH, PUT, OPTIONS");
    assertThat(f.raw("GET", "/v2/ping", null).status()).isEqualTo(204);
  }
}
