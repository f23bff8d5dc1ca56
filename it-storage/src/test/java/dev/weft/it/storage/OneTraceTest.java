package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.db;
import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testing.RecordedSpan;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.bson.Document;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * One trace through every storage category: a Hibernate transaction that persists and queries, a
 * Jedis pipeline and a Mongo insert and find, each under the right parent, and no secret value in
 * any stored event.
 */
class OneTraceTest {
  static final String REDIS_SECRET = "redis-secret-7f3a";
  static final String SQL_SECRET = "sql-secret-91bc";
  static final String MONGO_SECRET = "mongo-secret-c0d2";
  static SessionFactory factory;

  @BeforeAll
  static void configure() {
    Spans.configure();
    factory = Databases.h2("weft-one-trace");
  }

  @AfterAll
  static void reset() {
    factory.close();
    Spans.reset();
  }

  @Test
  void everyCategoryUnderTheRightParent_noSecretRecorded() {
    MongoCollection<Document> coll =
        SharedServers.mongoClient().getDatabase("weftit").getCollection("one");
    coll.drop();
    SharedServers.jedisPool();
    Spans.clear();
    String base;
    String sqlParent;
    String cacheParent;
    String mongoParent;
    try (TraceScope t = Trace.begin("one-trace-base", null, null)) {
      base = t.baseId();
      try (Span s = Trace.span("store");
          Session session = factory.openSession()) {
        sqlParent = s.id();
        Transaction tx = session.beginTransaction();
        session.persist(new Account(42, "zoe", SQL_SECRET));
        List<Account> found =
            session
                .createSelectionQuery(
                    "from Account a where a.secret = '" + SQL_SECRET + "'", Account.class)
                .getResultList();
        assertThat(found).hasSize(1);
        tx.commit();
      }
      try (Span s = Trace.span("cache");
          Jedis j = SharedServers.jedisPool().getResource()) {
        cacheParent = s.id();
        Pipeline p = j.pipelined();
        p.set("one:token", REDIS_SECRET);
        p.expire("one:token", 60);
        p.sync();
      }
      try (Span s = Trace.span("queue")) {
        mongoParent = s.id();
        coll.insertOne(new Document("owner", MONGO_SECRET));
        assertThat(coll.find(Filters.eq("owner", MONGO_SECRET)).first()).isNotNull();
      }
    }
    List<RecordedSpan> spans = Spans.of(base);
    Map<String, RecordedSpan> byId =
        spans.stream().collect(Collectors.toMap(RecordedSpan::id, s -> s));

    // SQL: persist and commit under "store"; the query flushes the insert first, then selects.
    RecordedSpan persist = only(spans, s -> op(s, "persist"));
    RecordedSpan query = only(spans, s -> op(s, "query"));
    RecordedSpan commit = only(spans, s -> op(s, "commit"));
    assertThat(List.of(persist, query, commit))
        .extracting(RecordedSpan::parent)
        .containsOnly(sqlParent);
    assertThat(persist.info())
        .isEqualTo(db(map("operation", "persist", "entity", Account.class.getName())));
    assertThat(query.info())
        .isEqualTo(db(map("operation", "query", "statement", "from Account a where a.secret = ?")));
    List<RecordedSpan> statements = children(spans, query);
    assertThat(statements)
        .extracting(RecordedSpan::info)
        .containsExactly(
            db(map("system", "h2", "statement", SqlSuite.INSERT)),
            db(
                map(
                    "system",
                    "h2",
                    "statement",
                    "select a1_0.id,a1_0.owner,a1_0.secret from weft_account a1_0"
                        + " where a1_0.secret=?")));
    assertThat(children(spans, commit)).isEmpty();
    // The JDBC connection is checked out when the transaction begins.
    RecordedSpan hikari = only(spans, s -> pool(s, "weft-one-trace"));
    assertThat(hikari.parent()).isEqualTo(sqlParent);

    // Redis: the pool checkout and both pipelined commands under "cache".
    List<RecordedSpan> cache = children(spans, byId.get(cacheParent));
    assertThat(cache).extracting(RecordedSpan::name).containsExactly("pooling", "redis", "redis");
    assertThat(cache.subList(1, 3))
        .extracting(RecordedSpan::info)
        .containsExactly(
            db(map("system", "redis", "operation", "SET", "key", "one:token")),
            db(map("system", "redis", "operation", "EXPIRE", "key", "one:token")));

    // Mongo: insert and find under "queue", each with its connection checkout under it.
    List<RecordedSpan> queue = children(spans, byId.get(mongoParent));
    assertThat(queue)
        .extracting(RecordedSpan::info)
        .containsExactly(
            db(
                map(
                    "system",
                    "mongodb",
                    "namespace",
                    "weftit",
                    "collection",
                    "one",
                    "operation",
                    "insert",
                    "statement",
                    "{\"owner\": \"?\", \"_id\": \"?\"}")), // the driver appends the generated _id
            db(
                map(
                    "system",
                    "mongodb",
                    "namespace",
                    "weftit",
                    "collection",
                    "one",
                    "operation",
                    "find",
                    "statement",
                    "{\"owner\": \"?\"}")));
    for (RecordedSpan m : queue) {
      assertThat(children(spans, m)).extracting(RecordedSpan::name).containsExactly("pooling");
    }

    // The hand spans hang off the trace's root.
    assertThat(List.of(byId.get(sqlParent), byId.get(cacheParent), byId.get(mongoParent)))
        .extracting(RecordedSpan::parent)
        .containsOnly(base);

    for (String event : Spans.rawEvents()) {
      assertThat(event).doesNotContain(REDIS_SECRET, SQL_SECRET, MONGO_SECRET);
    }
    assertThat(Weft.flush()).isTrue();
  }

  private static boolean op(RecordedSpan s, String operation) {
    return s.name().equals("hibernate")
        && operation.equals(((Map<?, ?>) s.info().get("db")).get("operation"));
  }

  private static boolean pool(RecordedSpan s, String name) {
    return s.name().equals("pooling")
        && name.equals(((Map<?, ?>) s.info().get("pooling")).get("pool"));
  }

  private static RecordedSpan only(List<RecordedSpan> spans, Predicate<RecordedSpan> p) {
    List<RecordedSpan> m = spans.stream().filter(p).collect(Collectors.toList());
    assertThat(m).hasSize(1);
    return m.get(0);
  }

  /** A span's children, in the order they finished (siblings here run one after another). */
  private static List<RecordedSpan> children(List<RecordedSpan> spans, RecordedSpan parent) {
    return spans.stream().filter(s -> parent.id().equals(s.parent())).collect(Collectors.toList());
  }
}
