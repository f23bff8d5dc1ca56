package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testing.TraceTree;
import dev.weft.testing.TraceTree.Span;
import dev.weft.testing.WeftTesting;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One profiled message post, end to end, against real Jetty and real servers (embedded ones in
 * {@link EndToEndTraceTest}, CI's PostgreSQL and Redis in {@link EndToEndServicesTraceTest}): the
 * client's root span, the queue API's servlet, its pooling and storage spans, the webhook call and
 * the subscriber's servlet and work form one trace, every span in it carrying the service that
 * recorded it. The API and the subscriber share this JVM, so each names its own service with the
 * servlet context's {@code weft.service} init parameter; the client's spans carry the process-wide
 * {@code weft.service}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTraceSuite {
  static final String KEY = "e2e-key";
  static final String HOST = "e2e-host";
  static final String CLIENT = "queue-client";
  static final String API = "queue-api";
  static final String SUBSCRIBER = "webhook-subscriber";
  static final String[] CATEGORIES = {
    "annotated", "servlet", "http", "mongodb", "redis", "sql", "pooling", "async"
  };

  Fixture f;

  /** The queue the suite posts to, in the Redis pool; it has a subscription to the subscriber. */
  String queue;

  /** A queue in the MongoDB pool, also with a subscription. */
  String mongoQueue;

  /** A queue in the SQL pool, also with a subscription. */
  String sqlQueue;

  /** The name of the fixture's SQL message pool. */
  abstract String sqlPool();

  /** Starts the servers and services; the API and the subscriber name their spans' service. */
  abstract Fixture start(String api, String subscriber) throws Exception;

  /** A queue name of this run. */
  abstract String queueName();

  /**
   * How the servlet and http spans record {@link #queueName()} as a path segment
   * (weft.http.path_values=redact-ids): the name itself, or {@code ?} for a name that looks like an
   * id.
   */
  abstract String recordedQueueName();

  /** The {@code db.system} of the management database's statements: h2, postgresql. */
  abstract String dbSystem();

  /** Why the suite cannot run here (each test is then reported as skipped), or null. */
  String skipReason() {
    return null;
  }

  /** Removes what the run left in shared servers. */
  void cleanUp() throws Exception {}

  @BeforeAll
  void startAll() throws Exception {
    if (skipReason() != null) {
      return;
    }
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.service", CLIENT);
    Weft.set("weft.host", HOST);
    Weft.set("weft.project", "weft");
    Weft.set("weft.max_traces_per_second", "10000");
    for (String c : CATEGORIES) {
      Weft.set("weft.trace." + c, "true");
    }
    f = start(API, SUBSCRIBER);
    queue = queueName();
    mongoQueue = queue + "-m";
    sqlQueue = queue + "-s";
    f.queueIn(queue, "redis");
    f.queueIn(mongoQueue, "mongo");
    f.queueIn(sqlQueue, sqlPool());
    for (String q : List.of(queue, mongoQueue, sqlQueue)) {
      assertThat(f.client.createSubscription(q, f.subscriber.webhookUrl(), 3600).status())
          .isEqualTo(201);
    }
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      if (f != null) {
        try {
          f.client.deleteQueue(queue);
          f.client.deleteQueue(mongoQueue);
          f.client.deleteQueue(sqlQueue);
        } finally {
          f.close();
        }
      }
      cleanUp();
    } finally {
      WeftTesting.clearRecorded();
      Weft.resetRuntimeChanges();
    }
  }

  @BeforeEach
  void clear() {
    Assumptions.assumeTrue(skipReason() == null, skipReason());
    WeftTesting.clearRecorded();
  }

  /** A profiled post's trace and the id of the message it stored. */
  record Posted(String baseId, String messageId) {}

  /** A profiled post of one message, as {@code client --profile KEY message-post QUEUE ...}. */
  Posted profiledPost(String queue, String body) throws Exception {
    // The catalog entry is read from the management database, not the cache, on every post.
    f.api.catalog().evict(queue);
    try (TraceScope t = Trace.beginClient(KEY)) {
      ApiResponse r =
          f.client.postMessages(queue, List.of(new QueueClient.Message(json(body), 300)));
      assertThat(r.status()).as(r.summary()).isEqualTo(201);
      String href = r.body().path("resources").get(0).asText();
      return new Posted(t.baseId(), href.substring(href.lastIndexOf('/') + 1));
    }
  }

  /** The name of the one live commons-pool2 pool in this JVM (the Redis pool's JedisPooled). */
  static String commonsPoolName() throws Exception {
    Set<ObjectName> pools =
        ManagementFactory.getPlatformMBeanServer()
            .queryNames(new ObjectName("org.apache.commons.pool2:type=GenericObjectPool,*"), null);
    assertThat(pools).hasSize(1);
    return pools.iterator().next().getKeyProperty("name");
  }

  /**
   * A connection checkout span: its start info is exactly {@code {"pooling": {"pool",
   * "wait_micros"}}, "host"}, the wait a measured, non-negative number of microseconds.
   */
  static void assertCheckout(Span s, String pool) {
    assertThat(s.name()).isEqualTo("pooling");
    assertThat(s.service()).isEqualTo(API);
    JsonNode wait = s.startInfo().path("pooling").path("wait_micros");
    assertThat(wait.isIntegralNumber()).as(s.toString()).isTrue();
    assertThat(wait.asLong()).isGreaterThanOrEqualTo(0);
    assertThat(s.startInfo())
        .isEqualTo(
            info(
                "{'pooling': {'pool': '"
                    + pool
                    + "', 'wait_micros': "
                    + wait.asLong()
                    + "}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(s.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));
    assertThat(s.children()).isEmpty();
  }

  /** A leaf span of the API with the given start info and an empty stop info. */
  static void assertLeaf(Span s, String name, String startInfo) {
    assertThat(s.name()).isEqualTo(name);
    assertThat(s.service()).isEqualTo(API);
    assertThat(s.startInfo()).as(s.toString()).isEqualTo(info(startInfo));
    assertThat(s.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));
    assertThat(s.children()).isEmpty();
  }

  static JsonNode info(String json) {
    return json(json.replace('\'', '"'));
  }

  @Test
  void theServiceNameParameterIsTheOneTheServletEntryReads() {
    assertThat(ServiceName.INIT_PARAM).isEqualTo("weft.service"); // the documented init parameter
  }

  @Test
  void oneProfiledPostIsOneTraceAcrossClientApiAndSubscriber() throws Exception {
    Posted posted = profiledPost(queue, "{\"order\": 1}");
    String base = posted.baseId();
    TraceTree t = WeftTesting.settled(base);
    for (JsonNode e : t.events()) {
      assertThat(e.path("base_id").asText()).isEqualTo(base);
      assertThat(e.path("project").asText()).isEqualTo("weft");
    }
    URI api = f.api.baseUri();
    URI sub = URI.create(f.subscriber.webhookUrl());

    // client: QueueClient.postMessages -> http
    Span client = t.root();
    assertThat(client.parentId()).isEqualTo(base);
    assertThat(client.name()).isEqualTo("QueueClient.postMessages");
    assertThat(client.service()).isEqualTo(CLIENT);
    assertThat(client.startInfo())
        .isEqualTo(
            info(
                "{'function': {'name': 'dev.weft.testapp.client.QueueClient.postMessages'},"
                    + " 'host': '"
                    + HOST
                    + "'}"));
    assertThat(client.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));

    Span clientHttp = client.only();
    assertThat(clientHttp.name()).isEqualTo("http");
    assertThat(clientHttp.service()).isEqualTo(CLIENT);
    assertThat(clientHttp.startInfo())
        .isEqualTo(
            info(
                "{'requests': {'method': 'POST', 'query': '', 'path': '/v2/queues/"
                    + recordedQueueName()
                    + "/messages', 'hostname': '127.0.0.1', 'port': "
                    + api.getPort()
                    + ", 'scheme': 'http'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(clientHttp.stopInfo())
        .isEqualTo(info("{'requests': {'status_code': 201}, 'host': '" + HOST + "'}"));

    // queue API: servlet -> catalog_lookup, (storage), http
    Span servlet = clientHttp.only();
    assertThat(servlet.name()).isEqualTo("wsgi");
    assertThat(servlet.service()).isEqualTo(API);
    assertThat(servlet.startInfo())
        .isEqualTo(
            info(
                "{'request': {'path': '/v2/queues/"
                    + recordedQueueName()
                    + "/messages', 'query': '', 'method': 'POST',"
                    + " 'scheme': 'http'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(servlet.stopInfo())
        .isEqualTo(info("{'response': {'status': 201}, 'host': '" + HOST + "'}"));
    assertThat(servlet.childNames())
        .as(t.render(Span::toString))
        .containsExactly(
            "catalog_lookup", "pooling", "redis", "pooling", "redis", "hibernate", "http");

    // pooling: the catalog lookup, with its Hibernate find, connection checkout and SQL
    Span lookup = servlet.children().get(0);
    assertThat(lookup.service()).isEqualTo(API);
    assertThat(lookup.startInfo())
        .isEqualTo(
            info(
                "{'function': {'name': 'dev.weft.testapp.pooling.Catalog.lookup', 'args':"
                    + " '["
                    + queue
                    + "]'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(lookup.stopInfo())
        .isEqualTo(info("{'function': {'result': 'redis'}, 'host': '" + HOST + "'}"));
    Span find = lookup.only();
    assertThat(find.name()).isEqualTo("hibernate");
    assertThat(find.service()).isEqualTo(API);
    assertThat(find.startInfo())
        .isEqualTo(
            info(
                "{'db': {'operation': 'find', 'entity':"
                    + " 'dev.weft.testapp.management.QueueRecord'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(find.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));
    assertThat(find.childNames()).containsExactly("pooling", "db");
    assertCheckout(find.children().get(0), "management");
    assertLeaf(
        find.children().get(1),
        "db",
        "{'db': {'system': '"
            + dbSystem()
            + "', 'statement': 'select qr1_0.name,qr1_0.created,qr1_0.metadata,qr1_0.pool from"
            + " weft_queues qr1_0 where qr1_0.name=?'}, 'host': '"
            + HOST
            + "'}");

    // the Redis pool's storage calls: one checkout per command, key names but never values
    String redisPool = commonsPoolName();
    assertCheckout(servlet.children().get(1), redisPool);
    assertLeaf(
        servlet.children().get(2),
        "redis",
        "{'db': {'system': 'redis', 'operation': 'SET', 'key': 'weft:m:"
            + queue
            + ":"
            + posted.messageId()
            + "'}, 'host': '"
            + HOST
            + "'}");
    assertCheckout(servlet.children().get(3), redisPool);
    assertLeaf(
        servlet.children().get(4),
        "redis",
        "{'db': {'system': 'redis', 'operation': 'ZADD', 'key': 'weft:q:"
            + queue
            + "'}, 'host': '"
            + HOST
            + "'}");

    // the queue's subscriptions, read from the management database
    Span subs = servlet.children().get(5);
    assertThat(subs.service()).isEqualTo(API);
    assertThat(subs.startInfo())
        .isEqualTo(
            info(
                "{'db': {'operation': 'query', 'statement': 'from SubscriptionRecord where queue"
                    + " = :q order by created, id'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(subs.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));
    assertThat(subs.childNames()).containsExactly("pooling", "db");
    assertCheckout(subs.children().get(0), "management");
    assertLeaf(
        subs.children().get(1),
        "db",
        "{'db': {'system': '"
            + dbSystem()
            + "', 'statement': 'select"
            + " sr1_0.id,sr1_0.confirmed,sr1_0.created,sr1_0.expires,sr1_0.options,sr1_0.queue,"
            + "sr1_0.subscriber,sr1_0.ttl from"
            + " weft_subscriptions sr1_0 where sr1_0.queue=? order by sr1_0.created,sr1_0.id'},"
            + " 'host': '"
            + HOST
            + "'}");

    // the webhook call to the subscriber
    Span webhook = servlet.children().get(6);
    assertThat(webhook.service()).isEqualTo(API);
    assertThat(webhook.startInfo())
        .isEqualTo(
            info(
                "{'requests': {'method': 'POST', 'query': '', 'path': '/notifications',"
                    + " 'hostname': '127.0.0.1', 'port': "
                    + sub.getPort()
                    + ", 'scheme': 'http'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(webhook.stopInfo())
        .isEqualTo(info("{'requests': {'status_code': 204}, 'host': '" + HOST + "'}"));

    // subscriber: servlet -> NotificationLog.record -> notification_validate
    Span subServlet = webhook.only();
    assertThat(subServlet.name()).isEqualTo("wsgi");
    assertThat(subServlet.service()).isEqualTo(SUBSCRIBER);
    assertThat(subServlet.startInfo())
        .isEqualTo(
            info(
                "{'request': {'path': '/notifications', 'query': '', 'method': 'POST',"
                    + " 'scheme': 'http'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(subServlet.stopInfo())
        .isEqualTo(info("{'response': {'status': 204}, 'host': '" + HOST + "'}"));

    Span record = subServlet.only();
    assertThat(record.name()).isEqualTo("NotificationLog.record");
    assertThat(record.service()).isEqualTo(SUBSCRIBER);
    assertThat(record.startInfo())
        .isEqualTo(
            info(
                "{'function': {'name': 'dev.weft.testapp.subscriber.NotificationLog.record'},"
                    + " 'host': '"
                    + HOST
                    + "'}"));
    assertThat(record.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));

    Span validate = record.only();
    assertThat(validate.name()).isEqualTo("notification_validate");
    assertThat(validate.service()).isEqualTo(SUBSCRIBER);
    assertThat(validate.startInfo())
        .isEqualTo(
            info(
                "{'function': {'name':"
                    + " 'dev.weft.testapp.subscriber.NotificationLog.validate'}, 'host': '"
                    + HOST
                    + "'}"));
    assertThat(validate.stopInfo()).isEqualTo(info("{'host': '" + HOST + "'}"));
    assertThat(validate.children()).isEmpty();

    assertThat(t.all()).hasSize(18);
  }

  // ---- runtime switches

  /**
   * Every span name of a profiled post with every category on, to a queue whose pool's storage
   * spans are named {@code storage} ({@code redis}, {@code mongodb}, or {@code db} for the SQL
   * pool).
   */
  static Set<String> all(String storage) {
    return names(
        "QueueClient.postMessages",
        "http",
        "wsgi",
        "catalog_lookup",
        "hibernate",
        "pooling",
        "db",
        storage,
        "NotificationLog.record",
        "notification_validate");
  }

  /** A set of span names (a storage's spans may share a name with the management database's). */
  static Set<String> names(String... names) {
    return new TreeSet<>(List.of(names));
  }

  static Set<String> minus(Set<String> all, String... names) {
    Set<String> out = new TreeSet<>(all);
    for (String n : names) {
      assertThat(out.remove(n)).as(n).isTrue();
    }
    return out;
  }

  /**
   * The span names of a profiled post with one category off. Servlet off: the services start no
   * trace, only the client's spans remain. HTTP off: the JDK HttpClient calls are not spans; the
   * client still sends its root span's headers (QueueClient adds them itself), but the webhook call
   * carries none, so the subscriber is not in the trace. Annotated off: the client's root and the
   * subscriber's {@code @Traced} work go; the catalog lookup is {@code @Traced(category = POOLING)}
   * and stays. Pooling off: the catalog lookup and the connection checkouts go, the lookup's SQL
   * then hangs below the servlet. SQL off: Hibernate's operations and the statements go, the
   * management pool's checkouts stay. Redis or MongoDB off: the commands go, the checkouts stay.
   */
  static Set<String> expectedWithout(String category, String storage) {
    Set<String> all = all(storage);
    return switch (category) {
      case "servlet" -> names("QueueClient.postMessages", "http");
      case "http" ->
          names(
              "QueueClient.postMessages",
              "wsgi",
              "catalog_lookup",
              "hibernate",
              "pooling",
              "db",
              storage);
      case "annotated" ->
          minus(all, "QueueClient.postMessages", "NotificationLog.record", "notification_validate");
      case "pooling" -> minus(all, "catalog_lookup", "pooling");
      case "sql" -> minus(all, "hibernate", "db");
      case "redis", "mongodb" -> minus(all, storage);
      default -> throw new IllegalArgumentException(category);
    };
  }

  static final ObjectName MBEAN = mbeanName();

  static ObjectName mbeanName() {
    try {
      return new ObjectName("dev.weft:type=Weft");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Switches a category through {@code Weft.set} or the JMX MBean's attribute. */
  static void switchCategory(String category, boolean on, String via) throws Exception {
    if (via.equals("jmx")) {
      String attribute =
          "Trace" + Character.toUpperCase(category.charAt(0)) + category.substring(1);
      ManagementFactory.getPlatformMBeanServer().setAttribute(MBEAN, new Attribute(attribute, on));
      assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(MBEAN, attribute))
          .isEqualTo(on);
    } else {
      Weft.set("weft.trace." + category, Boolean.toString(on));
    }
    assertThat(Weft.categoryActive(category)).isEqualTo(on);
  }

  @ParameterizedTest(name = "{0} via {1}, a queue in the {2} pool")
  @CsvSource({
    "servlet, set, redis", "servlet, jmx, redis",
    "http, set, redis", "http, jmx, redis",
    "annotated, set, redis", "annotated, jmx, redis",
    "pooling, set, redis", "pooling, jmx, sql",
    "sql, set, redis", "sql, jmx, sql",
    "redis, set, redis", "redis, jmx, redis",
    "mongodb, set, mongo", "mongodb, jmx, mongo"
  })
  void aCategorySwitchedOffLeavesTheNextTraceAndComesBack(String category, String via, String pool)
      throws Exception {
    String storage =
        switch (pool) {
          case "redis" -> "redis";
          case "mongo" -> "mongodb";
          default -> "db";
        };
    String q =
        switch (pool) {
          case "redis" -> queue;
          case "mongo" -> mongoQueue;
          default -> sqlQueue;
        };
    TraceTree before = WeftTesting.settled(profiledPost(q, "{\"before\": 1}").baseId());
    assertThat(before.names()).as(before.render(Span::toString)).isEqualTo(all(storage));
    try {
      switchCategory(category, false, via);
      TraceTree off = WeftTesting.settled(profiledPost(q, "{\"off\": 1}").baseId());
      assertThat(off.names())
          .as(off.render(Span::toString))
          .isEqualTo(expectedWithout(category, storage));
      assertThat(off.roots()).hasSize(1);
    } finally {
      switchCategory(category, true, via);
    }
    TraceTree on = WeftTesting.settled(profiledPost(q, "{\"on\": 1}").baseId());
    assertThat(on.names()).as(on.render(Span::toString)).isEqualTo(all(storage));
    assertThat(on.root().name()).isEqualTo("QueueClient.postMessages");
  }

  // ---- bad signatures

  /** The response with each message id in {@code resources} replaced by {@code ID}. */
  static ApiResponse withoutIds(ApiResponse r) {
    if (r.body() == null || !r.body().has("resources")) {
      return r;
    }
    String text = r.body().toString().replaceAll("/messages/[0-9a-fA-F-]{8,}", "/messages/ID");
    return new ApiResponse(r.status(), json(text));
  }

  @Test
  void forgedAndMissingSignaturesAreServedAsUntracedAndLeaveNoTrace() throws Exception {
    Map<String, String> forged =
        new LinkedHashMap<>(TraceHeaders.sign("forged-base", null, "not-the-key"));
    Map<String, String> missing =
        new LinkedHashMap<>(TraceHeaders.sign("unsigned-base", null, KEY));
    missing.remove(TraceHeaders.X_TRACE_HMAC);
    String post = "{\"messages\": [{\"body\": {\"n\": 1}, \"ttl\": 300}]}";
    String[][] requests = {
      {"GET", "/v2/queues/" + queue, null},
      {"GET", "/v2/pools/redis", null},
      {"POST", "/v2/queues/" + queue + "/messages", post},
      // a queue that does not exist (a post would create it, as Zaqar v2 does)
      {"GET", "/v2/queues/no-such-queue/messages/00000000-0000-4000-8000-000000000000", null},
      {"PUT", "/v2/queues/" + queue, "{not json"}
    };
    for (String[] q : requests) {
      ApiResponse untraced = withoutIds(f.raw(q[0], q[1], q[2]));
      WeftTesting.clearRecorded();
      long started =
          (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(MBEAN, "TracesStarted");
      int notified = f.subscriber.log().all().size();
      for (Map<String, String> h : List.of(forged, missing)) {
        Map<String, String> headers = new LinkedHashMap<>(h);
        headers.put("Content-Type", "application/json");
        ApiResponse r = withoutIds(f.raw(q[0], q[1], q[2], headers));
        assertThat(r.status()).as(q[0] + " " + q[1]).isEqualTo(untraced.status());
        assertThat(r.body()).as(q[0] + " " + q[1]).isEqualTo(untraced.body());
      }
      if (q[0].equals("POST") && untraced.status() == 201) {
        assertThat(f.subscriber.log().all()).hasSize(notified + 2);
      }
      // No trace started, no span of any kind stored: not a servlet span, not a webhook call.
      assertThat(WeftTesting.recordedEvents()).as(q[0] + " " + q[1]).isEmpty();
      assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(MBEAN, "TracesStarted"))
          .isEqualTo(started);
    }
    assertThat(WeftTesting.recordedEvents("forged-base")).isEmpty();
    assertThat(WeftTesting.recordedEvents("unsigned-base")).isEmpty();
  }
}
