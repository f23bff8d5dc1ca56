package dev.weft.testapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.demo.EmbeddedServers;
import dev.weft.testapp.subscriber.NotificationLog;
import dev.weft.testapp.subscriber.SubscriberService;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real python-zaqarclient (Debian's python3-zaqarclient) against the API:
 * src/test/python/zaqar_walk.py drives the client's v2 objects through the home document, health,
 * pools and flavors, lazy queues, metadata json-patch, stats, listings with echo and
 * include_claimed, claims, bulk deletes and pops, subscriptions, pre-signed URLs, purges and
 * Zaqar's answers to bad input, one JSON line per step; each step's result is checked here,
 * exactly, once per kind of message pool (the walk's queues live in a Redis, a MongoDB and an SQL
 * pool in turn). The expected results are what the real Zaqar 15 answers to the same walk, except
 * where the test-app documents otherwise (README: what of Zaqar v2 is served). Skipped, with the
 * reason, when {@code /usr/bin/python3 -c "import zaqarclient"} fails.
 */
class ZaqarClientWalkTest {
  static final String KEY = "walk-signing-key";
  static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
          .build();
  static EmbeddedServers.Redis redis;
  static EmbeddedServers.Mongo mongo;
  static SubscriberService subscriber;

  @BeforeAll
  static void start() throws Exception {
    String why = Python.cannotImport("zaqarclient");
    assumeTrue(why == null, "the real python-zaqarclient is not available: " + why);
    redis = EmbeddedServers.redis();
    mongo = EmbeddedServers.mongo();
    subscriber = SubscriberService.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    if (mongo != null) {
      mongo.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Each step's result, in the walk's order ('-quoted JSON; ${...} filled in per run). */
  static Map<String, String> expected() {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("ping", "true");
    e.put("pool-create-main", "'created'");
    e.put("pool-create-spare", "'created'");
    e.put(
        "health",
        "{'catalog_reachable': true, 'pools': {'${kind}-main': {'all_succeeded': "
            + "true, 'operations': ['bulk_delete_messages', 'claim_messages', "
            + "'create_queue', 'delete_claim', 'delete_messages', 'delete_queue', "
            + "'list_messages', 'post_messages'], 'storage_reachable': true}, "
            + "'${kind}-spare': {'all_succeeded': true, 'operations': "
            + "['bulk_delete_messages', 'claim_messages', 'create_queue', 'delete_claim', "
            + "'delete_messages', 'delete_queue', 'list_messages', 'post_messages'], "
            + "'storage_reachable': true}}}");
    e.put(
        "pool-get",
        "{'flavor': null, 'href': '/v2/pools/${kind}-spare', 'kind': '${kind}', "
            + "'name': '${kind}-spare', 'weight': 0}");
    e.put(
        "pool-update",
        "{'flavor': null, 'href': '/v2/pools/${kind}-spare', 'kind': '${kind}', "
            + "'name': '${kind}-spare', 'weight': 5}");
    e.put("pool-list", "[['${kind}-main', 100], ['${kind}-spare', 5]]");
    e.put("pool-list-detailed", "[['${kind}-main', {}], ['${kind}-spare', {'note': 'spare'}]]");
    e.put("flavor-create", "'created'");
    e.put(
        "flavor-get",
        "{'capabilities': ${capabilities}, 'href': '/v2/flavors/walk-gold', 'name': "
            + "'walk-gold', 'pool_list': ['${kind}-spare']}");
    e.put("flavor-pool-assigned", "'walk-gold'");
    e.put(
        "flavor-update",
        "{'capabilities': ${capabilities}, 'href': '/v2/flavors/walk-gold', 'name': "
            + "'walk-gold', 'pool_list': ['${kind}-spare']}");
    e.put("flavor-list", "[['walk-gold', ['${kind}-spare']]]");
    e.put("flavor-delete", "null");
    e.put(
        "flavor-get-deleted",
        "{'description': 'Flavor walk-gold does not exist', 'error': "
            + "'ResourceNotFound', 'status': 404, 'title': 'Not found'}");
    e.put(
        "queue-get-before-first-post",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 3600, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144}");
    e.put(
        "message-post-creates-queue",
        "{'resources': ['/v2/queues/walk-orders/messages/{m1}', "
            + "'/v2/queues/walk-orders/messages/{m2}']}");
    e.put("queue-listed-after-post", "['walk-orders']");
    e.put(
        "queue-metadata-defaults",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 3600, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144}");
    e.put(
        "queue-metadata-patch",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 1200, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144, 'team': 'billing'}");
    e.put(
        "queue-metadata-after-patch",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 1200, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144, 'team': 'billing'}");
    e.put(
        "queue-metadata-patch-remove",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 1200, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144}");
    e.put(
        "queue-metadata-patch-raw-ops",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 1200, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144, 'tier': 3}");
    e.put(
        "queue-metadata-replace-missing",
        "{'description': 'Can\\'t replace non-existent object nothing.', 'error': "
            + "'ConflictError', 'status': 409, 'title': 'Resource conflict'}");
    e.put(
        "queue-stats",
        "{'messages': {'claimed': 0, 'free': 2, 'newest': {'age': '<int>', 'created':"
            + " '<str>', 'href': '/v2/queues/walk-orders/messages/{m2}'}, 'oldest': {'age':"
            + " '<int>', 'created': '<str>', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}'}, 'total': 2}}");
    e.put(
        "error-patch-unknown-op",
        "{'description': 'Invalid operation: `move`. It must be one of the following:"
            + " add, remove, replace.', 'error': 'MalformedRequest', 'status': 400, "
            + "'title': 'Invalid request body'}");
    e.put(
        "error-patch-path-root",
        "{'description': 'The root of path must be metadata, e.g /metadata/key.', "
            + "'error': 'MalformedRequest', 'status': 400, 'title': 'Invalid request body'}");
    e.put(
        "queue-create-put",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 3600, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144, 'owner': 'ops'}");
    e.put(
        "queue-create-put-again",
        "{'_dead_letter_queue': null, '_dead_letter_queue_messages_ttl': null, "
            + "'_default_message_delay': 0, '_default_message_ttl': 3600, "
            + "'_enable_encrypt_messages': false, '_max_claim_count': null, "
            + "'_max_messages_post_size': 262144, 'owner': 'ops'}");
    e.put("queue-list-paged", "{'links': ['next'], 'page': 1}");
    e.put(
        "queue-list-detailed-with-count",
        "{'count_is_int': true, 'queues': [['walk-orders', {'_dead_letter_queue': "
            + "null, '_dead_letter_queue_messages_ttl': null, '_default_message_delay': 0, "
            + "'_default_message_ttl': 1200, '_enable_encrypt_messages': false, "
            + "'_max_claim_count': null, '_max_messages_post_size': 262144, 'tier': 3}]]}");
    e.put("message-list-own-without-echo", "[]");
    e.put(
        "message-list-own-with-echo",
        "[{'body': {'event': 'order-created', 'n': 1}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}', 'id': '{m1}', 'ttl': 600}, {'body': "
            + "{'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "message-list-other-client",
        "[{'body': {'event': 'order-created', 'n': 1}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}', 'id': '{m1}', 'ttl': 600}, {'body': "
            + "{'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "message-get",
        "{'body': {'event': 'order-paid', 'n': 2}, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}");
    e.put(
        "message-get-many",
        "[{'body': {'event': 'order-created', 'n': 1}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}', 'id': '{m1}', 'ttl': 600}, {'body': "
            + "{'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "message-list-limit",
        "[{'body': {'event': 'order-created', 'n': 1}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}', 'id': '{m1}', 'ttl': 600}]");
    e.put(
        "claim-create",
        "{'id': '{c1}', 'messages': [{'body': {'event': 'order-created', 'n': 1}, "
            + "'claim_id': '{c1}', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}?claim_id={c1}', 'id': '{m1}', 'ttl': "
            + "600}]}");
    e.put(
        "claim-get",
        "{'age': '<int>', 'grace': null, 'messages': [{'body': {'event': "
            + "'order-created', 'n': 1}, 'claim_id': '{c1}', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}?claim_id={c1}', 'id': '{m1}', 'ttl': "
            + "600}], 'ttl': 300}");
    e.put(
        "message-list-hides-claimed",
        "[{'body': {'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "message-list-include-claimed",
        "[{'body': {'event': 'order-created', 'n': 1}, 'claim_id': '{c1}', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}?claim_id={c1}', 'id': '{m1}', 'ttl': "
            + "600}, {'body': {'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "claim-create-second",
        "{'id': '{c2}', 'messages': [{'body': {'event': 'order-paid', 'n': 2}, "
            + "'claim_id': '{c2}', 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}?claim_id={c2}', 'id': '{m2}', 'ttl': "
            + "900}]}");
    e.put("claim-create-none-left", "{'id': null, 'messages': []}");
    e.put(
        "queue-stats-claimed",
        "{'messages': {'claimed': 2, 'free': 0, 'newest': {'age': '<int>', 'created':"
            + " '<str>', 'href': '/v2/queues/walk-orders/messages/{m2}'}, 'oldest': {'age':"
            + " '<int>', 'created': '<str>', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}'}, 'total': 2}}");
    e.put(
        "claim-update",
        "{'age': '<int>', 'grace': null, 'messages': [{'body': {'event': "
            + "'order-created', 'n': 1}, 'claim_id': '{c1}', 'href': "
            + "'/v2/queues/walk-orders/messages/{m1}?claim_id={c1}', 'id': '{m1}', 'ttl': "
            + "780}], 'ttl': 660}");
    e.put(
        "message-delete-claimed-without-claim",
        "{'description': 'This message is claimed; it cannot be deleted without a "
            + "valid claim ID.', 'error': 'ForbiddenError', 'status': 403, 'title': 'Unable"
            + " to delete'}");
    e.put("message-delete-with-claim", "['{m1}']");
    e.put(
        "message-get-deleted",
        "{'description': 'Message {m1} does not exist in queue walk-orders for "
            + "project walk-project', 'error': 'ResourceNotFound', 'status': 404, 'title': "
            + "'Not found'}");
    e.put(
        "claim-release",
        "[{'body': {'event': 'order-paid', 'n': 2}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m2}', 'id': '{m2}', 'ttl': 900}]");
    e.put(
        "claim-get-released",
        "{'description': 'Claim {c2} does not exist in queue walk-orders for project "
            + "walk-project', 'error': 'ResourceNotFound', 'status': 404, 'title': 'Not "
            + "found'}");
    e.put(
        "claim-update-released",
        "{'description': 'Claim {c2} does not exist in queue walk-orders for project "
            + "walk-project', 'error': 'ResourceNotFound', 'status': 404, 'title': 'Not "
            + "found'}");
    e.put(
        "message-delete-with-released-claim",
        "{'description': 'A claim was specified, but the message is not currently "
            + "claimed.', 'error': 'MalformedRequest', 'status': 400, 'title': 'Unable to "
            + "delete'}");
    e.put(
        "message-post-more",
        "{'resources': ['/v2/queues/walk-orders/messages/{m3}', "
            + "'/v2/queues/walk-orders/messages/{m4}', "
            + "'/v2/queues/walk-orders/messages/{m5}']}");
    e.put(
        "message-delete-many",
        "[{'body': 'four', 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m4}', 'id': '{m4}', 'ttl': 300}, {'body': "
            + "'five', 'claim_id': null, 'href': '/v2/queues/walk-orders/messages/{m5}', "
            + "'id': '{m5}', 'ttl': 300}]");
    e.put(
        "error-pop-too-many",
        "{'description': 'Pop value must be at least 1 and may not be greater than "
            + "20.', 'error': 'MalformedRequest', 'status': 400, 'title': 'Invalid API "
            + "request'}");
    e.put("message-pop", "[{'body': 'four', 'claim_id': null, 'id': '{m4}', 'ttl': 300}]");
    e.put(
        "message-list-after-pop",
        "[{'body': 'five', 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m5}', 'id': '{m5}', 'ttl': 300}]");
    e.put(
        "subscription-create",
        "{'age': '<int>', 'confirmed': false, 'id': '{s1}', 'options': {'note': "
            + "'walk'}, 'queue': 'walk-orders', 'subscriber': '${subscriber}', 'ttl': 3600}");
    e.put(
        "subscription-get",
        "{'age': '<int>', 'confirmed': false, 'id': '{s1}', 'options': {'note': "
            + "'walk'}, 'queue': 'walk-orders', 'subscriber': '${subscriber}', 'ttl': 3600}");
    e.put(
        "subscription-update",
        "{'age': '<int>', 'confirmed': false, 'id': '{s1}', 'options': {'note': "
            + "'walk'}, 'queue': 'walk-orders', 'subscriber': '${subscriber}', 'ttl': 7200}");
    e.put(
        "subscription-list",
        "[{'age': '<int>', 'confirmed': false, 'id': '{s1}', 'options': {'note': "
            + "'walk'}, 'queue': 'walk-orders', 'subscriber': '${subscriber}', 'ttl': "
            + "7200}]");
    e.put("message-post-notifies", "{'resources': ['/v2/queues/walk-orders/messages/{m6}']}");
    e.put(
        "subscription-create-again-unconfirmed",
        "{'age': '<int>', 'confirmed': false, 'id': '{s1}', 'options': {'note': "
            + "'walk'}, 'queue': 'walk-orders', 'subscriber': '${subscriber}', 'ttl': 7200}");
    e.put(
        "queue-share",
        "{'expires': '<str>', 'methods': ['GET', 'POST'], 'paths': "
            + "['/v2/queues/walk-orders/claims', '/v2/queues/walk-orders/messages'], "
            + "'project': 'walk-project', 'signature_length': 64, 'signature_valid': true}");
    e.put(
        "error-share-path",
        "{'description': 'Invalid paths: {\\'queues\\'}', 'error': 'MalformedRequest', "
            + "'status': 400, 'title': 'Invalid API request'}");
    e.put(
        "signed-url-list-messages",
        "[{'body': 'five', 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m5}', 'id': '{m5}', 'ttl': 300}, {'body': "
            + "{'event': 'order-shipped', 'n': 6}, 'claim_id': null, 'href': "
            + "'/v2/queues/walk-orders/messages/{m6}', 'id': '{m6}', 'ttl': 300}]");
    e.put(
        "signed-url-other-path",
        "{'description': null, 'error': 'ResourceNotFound', 'status': 404, 'title': "
            + "'404 Not Found'}");
    e.put(
        "error-purge-type",
        "{'description': 'Resource types must be a sub set of {\\'messages\\', "
            + "\\'subscriptions\\'}.', 'error': 'MalformedRequest', 'status': 400, 'title': "
            + "'Invalid API request'}");
    e.put("queue-purge-messages", "[[], 1]");
    e.put("subscription-delete", "[]");
    e.put(
        "subscription-get-deleted",
        "{'description': 'Subscription {s1} does not exist', 'error': "
            + "'ResourceNotFound', 'status': 404, 'title': 'Not found'}");
    e.put("queue-purge-all", "[]");
    e.put("queue-delete", "[]");
    e.put("pool-delete", "['${kind}-main']");
    e.put(
        "error-malformed-json",
        "{'description': 'Request body could not be parsed.', 'error': "
            + "'MalformedRequest', 'status': 400, 'title': 'Invalid request body'}");
    e.put(
        "error-message-too-large",
        "{'description': 'Message collection size is too large. Max size 262144', "
            + "'error': 'MalformedRequest', 'status': 400, 'title': 'Invalid API request'}");
    e.put(
        "error-message-ttl",
        "{'description': 'The TTL for a message may not exceed 1209600 seconds, and "
            + "must be at least 60 seconds long.', 'error': 'MalformedRequest', 'status': "
            + "400, 'title': 'Invalid API request'}");
    e.put(
        "error-no-messages",
        "{'description': 'No messages were found in the request body.', 'error': "
            + "'MalformedRequest', 'status': 400, 'title': 'Invalid API request'}");
    e.put(
        "error-claim-without-ttl",
        "{'description': 'The value of the \\\"ttl\\\" field must be a int.', 'error': "
            + "'MalformedRequest', 'status': 400, 'title': 'Invalid request body'}");
    e.put(
        "error-claim-ttl",
        "{'description': 'The TTL for a claim may not exceed 43200 seconds, and must "
            + "be at least 60 seconds long.', 'error': 'MalformedRequest', 'status': 400, "
            + "'title': 'Invalid API request'}");
    e.put(
        "error-claim-limit",
        "{'description': 'Limit must be at least 1 and may not be greater than 20.', "
            + "'error': 'MalformedRequest', 'status': 400, 'title': 'Invalid API request'}");
    e.put(
        "error-queue-name",
        "{'description': 'The format of the submitted queue name or project id is not"
            + " valid.', 'error': 'MalformedRequest', 'status': 400, 'title': 'Invalid "
            + "queue identification'}");
    e.put(
        "error-missing-client-id",
        "{'description': 'The \\\"Client-ID\\\" header is required.', 'error': "
            + "'MalformedRequest', 'status': 400, 'title': 'Missing header value'}");
    e.put(
        "error-subscriber-scheme",
        "{'description': 'The subscriber type of subscription must be supported in "
            + "the list [\\'http\\', \\'https\\', \\'mailto\\', \\'trust+http\\', "
            + "\\'trust+https\\'].', 'error': 'MalformedRequest', 'status': 400, 'title': "
            + "'Invalid API request'}");
    e.put(
        "error-unknown-queue-patch",
        "{'description': 'Queue walk-ghost does not exist for project walk-project', "
            + "'error': 'ResourceNotFound', 'status': 404, 'title': 'Not found'}");
    e.put(
        "error-unknown-queue-message",
        "{'description': 'Queue walk-ghost does not exist for project walk-project', "
            + "'error': 'ResourceNotFound', 'status': 404, 'title': 'Not found'}");
    e.put(
        "error-unknown-claim",
        "{'description': 'Claim 0123456789abcdef01234567 does not exist in queue "
            + "walk-bad for project walk-project', 'error': 'ResourceNotFound', 'status': "
            + "404, 'title': 'Not found'}");
    e.put(
        "error-unknown-pool",
        "{'description': 'Pool walk-nopool does not exist', 'error': "
            + "'ResourceNotFound', 'status': 404, 'title': 'Not found'}");
    e.put("unknown-queue-delete", "null");
    e.put("unknown-queue-message-delete", "null");
    e.put("unknown-queue-claim-is-empty", "{'id': null, 'messages': []}");
    e.put("unknown-queue-subscriptions", "[]");
    e.put("subscription-create-creates-queue", "['walk-lazy']");
    e.put("unknown-queue-list-is-empty", "[]");
    e.put("unknown-queue-stats-are-zero", "{'messages': {'claimed': 0, 'free': 0, 'total': 0}}");
    return e;
  }

  static JsonNode json(String text) throws Exception {
    return LENIENT.readTree(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "mongodb", "sql"})
  void theRealZaqarClientWalksEveryStepWithZaqarsAnswers(String kind) throws Exception {
    String main;
    String spare;
    String run = UUID.randomUUID().toString().substring(0, 8);
    switch (kind) {
      case "redis":
        main = redis.uri();
        spare = "redis://127.0.0.1:" + redis.port() + "/1";
        break;
      case "mongodb":
        main = mongo.uri("walk_main_" + run);
        spare = mongo.uri("walk_spare_" + run);
        break;
      default:
        main = "jdbc:h2:mem:walk-main-" + run + ";DB_CLOSE_DELAY=-1";
        spare = "jdbc:h2:mem:walk-spare-" + run + ";DB_CLOSE_DELAY=-1";
    }
    int notifiedBefore = subscriber.log().all().size();
    Python.Output out;
    try (ApiService api =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl("jdbc:h2:mem:walk-mgmt-" + run + ";DB_CLOSE_DELAY=-1")
                .strictHeaders(true)
                .signedUrlKey(KEY))) {
      out =
          Python.run(
              "zaqar_walk.py",
              List.of(
                  "--url",
                  api.baseUri().toString(),
                  "--prefix",
                  "walk",
                  "--pool",
                  kind + "-main=" + main,
                  "--pool",
                  kind + "-spare=" + spare,
                  "--subscriber",
                  subscriber.webhookUrl(),
                  "--signed-url-key",
                  KEY));
      // What the walk left behind: its queues are gone but the lazily created one, the spare
      // pool is deregistered.
      assertThat(api.management().queue("walk-orders")).isNull();
      assertThat(api.management().queue("walk-lazy")).isNotNull();
      assertThat(api.management().pool(kind + "-spare")).isNull();
      assertThat(api.management().pool(kind + "-main").getWeight()).isEqualTo(100);
    }
    assertThat(out.exit()).as(out.stderr()).isEqualTo(0);

    List<JsonNode> steps = new ArrayList<>();
    JsonNode summary = null;
    for (JsonNode line : out.lines()) {
      if (line.has("summary")) {
        summary = line.get("summary");
      } else {
        steps.add(line);
      }
    }
    Map<String, String> expected = expected();
    List<String> names = new ArrayList<>();
    steps.forEach(s -> names.add(s.path("step").asText()));
    List<String> expectedNames = new ArrayList<>(List.of("homedoc"));
    expectedNames.addAll(expected.keySet());
    assertThat(names).as(out.stderr()).isEqualTo(expectedNames);
    int passed = 0;
    for (JsonNode s : steps) {
      String name = s.path("step").asText();
      assertThat(s.path("ok").asBoolean()).as(name + ": " + s).isTrue();
      JsonNode want;
      if (name.equals("homedoc")) {
        try (InputStream in = getClass().getResourceAsStream("/zaqar/homedoc-zaqar-15.json")) {
          want = Python.JSON.readTree(in);
        }
      } else {
        want =
            json(
                expected
                    .get(name)
                    .replace("${kind}", kind)
                    .replace("${subscriber}", subscriber.webhookUrl())
                    .replace(
                        "${capabilities}",
                        kind.equals("redis")
                            ? "['FIFO', 'CLAIMS', 'AOD', 'HIGH_THROUGHPUT']"
                            : "['FIFO', 'CLAIMS', 'DURABILITY', 'AOD', 'HIGH_THROUGHPUT']"));
      }
      assertThat(s.path("result")).as(name).isEqualTo(want);
      passed++;
    }
    assertThat(summary)
        .isEqualTo(json("{'steps': " + steps.size() + ", 'passed': " + passed + "}"));

    // The message posted while the subscription lived reached the subscriber's webhook.
    List<NotificationLog.Notification> got = subscriber.log().all();
    List<JsonNode> bodies = new ArrayList<>();
    for (NotificationLog.Notification n : got.subList(notifiedBefore, got.size())) {
      assertThat(n.queue()).isEqualTo("walk-orders");
      bodies.add(n.body());
    }
    assertThat(bodies).containsExactly(json("{'event': 'order-shipped', 'n': 6}"));
    System.out.printf("zaqar walk (%s pool): %d steps, %d passed%n", kind, steps.size(), passed);
  }
}
