package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testing.RecordedSpan;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/** Connection checkout from HikariCP, JedisPool (commons-pool2) and the MongoDB driver's pool. */
class PoolingTest {
  @BeforeAll
  static void configure() {
    Spans.configure();
    Weft.set("weft.trace.redis", "false");
    Weft.set("weft.trace.mongodb", "false");
  }

  @AfterAll
  static void reset() {
    Spans.reset();
  }

  @BeforeEach
  void clear() {
    SharedServers.hikari();
    SharedServers.jedisPool();
    SharedServers.mongoClient();
    Spans.clear();
  }

  /** Checks the wait is a non-negative whole number and returns the full expected info map. */
  static Map<String, Object> pooling(RecordedSpan s, String pool) {
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) s.info().get("pooling");
    assertThat(p).containsKey("wait_micros");
    Object wait = p.get("wait_micros");
    assertThat(wait).isInstanceOf(Number.class);
    assertThat(((Number) wait).longValue()).isNotNegative();
    return map("pooling", map("pool", pool, "wait_micros", wait), "host", "it-host");
  }

  @Test
  void eachPoolsCheckoutIsASpan() throws Exception {
    String jedisPoolName = SharedServers.jedisPool().getJmxName().getKeyProperty("name");
    String base;
    try (TraceScope t = Trace.begin("pool-base-1", null, null)) {
      base = t.baseId();
      try (Connection c = SharedServers.hikari().getConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
      try (Jedis j = SharedServers.jedisPool().getResource()) {
        assertThat(j.ping()).isEqualTo("PONG");
      }
      MongoCollection<Document> coll =
          SharedServers.mongoClient().getDatabase("weftit").getCollection("pool");
      coll.insertOne(new Document("x", 1));
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans).extracting(RecordedSpan::name).containsOnly("pooling");
    assertThat(spans).hasSize(3);
    assertThat(spans.get(0).info()).isEqualTo(pooling(spans.get(0), "weft-hikari"));
    assertThat(spans.get(1).info()).isEqualTo(pooling(spans.get(1), jedisPoolName));
    assertThat(spans.get(2).info())
        .isEqualTo(pooling(spans.get(2), "mongodb://" + SharedServers.mongoAddress()));
    assertThat(spans).extracting(RecordedSpan::parent).containsOnly(base);
  }

  /**
   * The Tomcat JDBC pool's checkout, failed too: a pool whose database cannot be opened records the
   * failure with the driver's exception, which reaches the caller unchanged.
   */
  @Test
  void tomcatJdbcCheckoutIsASpan_aFailedOneCarriesItsError() throws Exception {
    org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource();
    ds.setName("weft-tomcat");
    ds.setUrl("jdbc:h2:mem:weft-tomcat;DB_CLOSE_DELAY=-1");
    ds.setDriverClassName("org.h2.Driver");
    ds.setInitialSize(1);
    org.apache.tomcat.jdbc.pool.DataSource broken = new org.apache.tomcat.jdbc.pool.DataSource();
    broken.setName("weft-tomcat-broken");
    broken.setUrl("jdbc:h2:mem:weft-tomcat-broken;IFEXISTS=TRUE");
    broken.setDriverClassName("org.h2.Driver");
    broken.setInitialSize(0);
    String base;
    java.sql.SQLException failure = null;
    try (TraceScope t = Trace.begin("pool-base-tomcat", null, null)) {
      base = t.baseId();
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
      try (Connection c = broken.getConnection()) {
        throw new AssertionError("opened " + c);
      } catch (java.sql.SQLException e) {
        failure = e;
      }
    } finally {
      ds.close();
      broken.close();
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans).extracting(RecordedSpan::name).containsExactly("pooling", "pooling");
    assertThat(spans).extracting(RecordedSpan::parent).containsOnly(base);
    assertThat(spans.get(0).info()).isEqualTo(pooling(spans.get(0), "weft-tomcat"));
    assertThat(spans.get(1).info()).isEqualTo(pooling(spans.get(1), "weft-tomcat-broken"));
    assertThat(spans.get(0).stopInfo()).isEqualTo(map("host", "it-host"));
    assertThat(spans.get(1).stopInfo())
        .isEqualTo(
            map(
                "etype",
                failure.getClass().getSimpleName(),
                "message",
                failure.getMessage(),
                "host",
                "it-host"));
  }

  @Test
  void mongoCheckoutIsAChildOfItsOperation() {
    Weft.set("weft.trace.mongodb", "true");
    String base;
    try (TraceScope t = Trace.begin("pool-base-2", null, null)) {
      base = t.baseId();
      SharedServers.mongoClient().getDatabase("weftit").getCollection("pool").find().first();
    } finally {
      Weft.set("weft.trace.mongodb", "false");
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans).extracting(RecordedSpan::name).containsExactly("pooling", "mongodb");
    assertThat(spans.get(0).parent()).isEqualTo(spans.get(1).id());
  }

  @Test
  void uncontendedCheckoutIsNotRecordedBelowTheMinimumWait_aContendedOneIs() throws Exception {
    Weft.set("weft.pooling.min_wait_micros", "50000");
    JedisPoolConfig cfg = new JedisPoolConfig();
    cfg.setMaxTotal(1);
    cfg.setJmxNamePrefix("weft-contended");
    String base;
    try (JedisPool pool = new JedisPool(cfg, "127.0.0.1", SharedServers.redisPort())) {
      // The pool's one connection is opened before the trace: the traced checkouts below borrow
      // an idle one (a connection being opened inside the trace could itself pass the minimum on
      // a loaded machine).
      try (Jedis j = pool.getResource()) {
        j.ping();
      }
      try (Connection c = SharedServers.hikari().getConnection()) {
        c.isValid(1);
      }
      base = contendedCheckouts(pool);
    } finally {
      Weft.set("weft.pooling.min_wait_micros", null);
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).info()).isEqualTo(pooling(spans.get(0), "weft-contended"));
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) spans.get(0).info().get("pooling");
    assertThat(((Number) p.get("wait_micros")).longValue()).isGreaterThanOrEqualTo(50_000L);
  }

  /**
   * In one trace: an uncontended checkout from each pool, then one from {@code pool} (one
   * connection) while another thread holds its connection for 300 ms; returns the base_id.
   */
  private static String contendedCheckouts(JedisPool pool) throws InterruptedException {
    String base;
    try (TraceScope t = Trace.begin("pool-base-3", null, null)) {
      base = t.baseId();
      try (Jedis j = pool.getResource()) {
        j.ping();
      }
      try (Connection c = SharedServers.hikari().getConnection()) {
        c.isValid(1);
      }
      CountDownLatch held = new CountDownLatch(1);
      Thread holder =
          new Thread(
              () -> {
                try (Jedis j = pool.getResource()) {
                  held.countDown();
                  Thread.sleep(300);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      holder.start();
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      try (Jedis j = pool.getResource()) {
        assertThat(j.ping()).isEqualTo("PONG");
      }
      holder.join();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return base;
  }
}
