package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.db;
import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testing.RecordedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Weft's own collector I/O is never traced: a collector that writes through the woven Jedis and
 * MongoDB drivers runs on the {@code weft-collector} thread, where no trace is ever active.
 */
class CollectorThreadTest {
  @BeforeAll
  static void configure() {
    Spans.configure();
    Weft.set(
        "weft.connection_string",
        "itstore://127.0.0.1:"
            + SharedServers.redisPort()
            + "?mongo="
            + SharedServers.mongoAddress());
  }

  @AfterAll
  static void reset() {
    Spans.reset();
  }

  @Test
  void collectorWritesThroughWovenDriversAreNotTraced() {
    StoringCollector.SEEN.clear();
    String base;
    try (Jedis j = new Jedis("127.0.0.1", SharedServers.redisPort());
        TraceScope t = Trace.begin("collector-base", null, null)) {
      base = t.baseId();
      j.ping();
    }
    assertThat(Weft.flush()).isTrue();
    // Let the collector's own writes (which would record spans if traced) be flushed too.
    assertThat(Weft.flush()).isTrue();

    assertThat(StoringCollector.SEEN).isNotEmpty().containsOnly("weft-collector active=false");
    try (Jedis j = new Jedis("127.0.0.1", SharedServers.redisPort())) {
      assertThat(j.llen("osprofiler_opt:" + base)).isEqualTo(2L);
    }
    assertThat(
            SharedServers.mongoClient()
                .getDatabase("osprofiler")
                .getCollection("profiler")
                .countDocuments(new org.bson.Document("base_id", base)))
        .isEqualTo(2L);
    // Only the application's PING: no LPUSH, no insert, no checkout from the collector.
    assertThat(Spans.rawEvents()).hasSize(2);
    assertThat(Spans.of(base))
        .extracting(RecordedSpan::info)
        .containsExactly(db(map("system", "redis", "operation", "PING")));
  }
}
