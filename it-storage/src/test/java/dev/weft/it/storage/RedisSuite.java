package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.db;
import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testing.RecordedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/** Redis commands through Jedis, load-time woven; run against each server by a subclass. */
abstract class RedisSuite {
  static final String SECRET = "s3cret-redis-value";

  abstract String host();

  abstract int port();

  Jedis jedis;

  @BeforeAll
  static void configure() {
    Spans.configure();
    Weft.set("weft.trace.pooling", "false");
  }

  @AfterAll
  static void reset() {
    Spans.reset();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis(host(), port());
    jedis.del("weft:it:k", "weft:it:n", "weft:it:text");
    Spans.clear();
  }

  @AfterEach
  void close() {
    if (jedis != null) {
      jedis.close();
    }
  }

  static Map<String, Object> redis(String op, String key) {
    return key == null
        ? db(map("system", "redis", "operation", op))
        : db(map("system", "redis", "operation", op, "key", key));
  }

  @Test
  void eachCommandIsASpanWithOperationAndFirstKey_neverTheValue() {
    String base;
    try (TraceScope t = Trace.begin("redis-base-1", null, null)) {
      base = t.baseId();
      jedis.set("weft:it:k", SECRET);
      assertThat(jedis.get("weft:it:k")).isEqualTo(SECRET);
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.del("weft:it:k")).isEqualTo(1L);
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans).extracting(RecordedSpan::name).containsOnly("redis");
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            redis("SET", "weft:it:k"),
            redis("GET", "weft:it:k"),
            redis("PING", null),
            redis("DEL", "weft:it:k"));
    assertThat(spans).extracting(RecordedSpan::parent).containsOnly(base);
    assertThat(spans).extracting(RecordedSpan::stopInfo).containsOnly(Spans.hostOnly());
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void pipelinedCommandsAreOneSpanEach_underTheEnclosingSpan() {
    String base;
    String parent;
    try (TraceScope t = Trace.begin("redis-base-2", null, null)) {
      base = t.baseId();
      try (Span s = Trace.span("enqueue")) {
        parent = s.id();
        Pipeline p = jedis.pipelined();
        p.set("weft:it:k", SECRET);
        p.incr("weft:it:n");
        Response<String> got = p.get("weft:it:k");
        p.sync();
        assertThat(got.get()).isEqualTo(SECRET);
      }
    }
    List<RecordedSpan> redis = Spans.named(base, "redis");
    assertThat(redis)
        .extracting(RecordedSpan::info)
        .containsExactly(
            redis("SET", "weft:it:k"), redis("INCR", "weft:it:n"), redis("GET", "weft:it:k"));
    assertThat(redis).extracting(RecordedSpan::parent).containsOnly(parent);
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void transactionCommandsAreSpans() {
    String base;
    try (TraceScope t = Trace.begin("redis-base-3", null, null)) {
      base = t.baseId();
      Transaction tx = jedis.multi();
      tx.set("weft:it:k", SECRET);
      tx.incr("weft:it:n");
      List<Object> results = tx.exec();
      assertThat(results).containsExactly("OK", 1L);
    }
    assertThat(Spans.of(base))
        .extracting(RecordedSpan::info)
        .containsExactly(
            redis("MULTI", null),
            redis("SET", "weft:it:k"),
            redis("INCR", "weft:it:n"),
            redis("EXEC", null));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void errorIsRecordedAndRethrownUnchanged() {
    jedis.set("weft:it:text", "not a number");
    String base;
    JedisDataException thrown;
    try (TraceScope t = Trace.begin("redis-base-4", null, null)) {
      base = t.baseId();
      thrown = assertThrows(JedisDataException.class, () -> jedis.incr("weft:it:text"));
    }
    assertThat(thrown.getMessage()).isEqualTo("ERR value is not an integer or out of range");
    RecordedSpan incr = Spans.of(base).get(0);
    assertThat(incr.info()).isEqualTo(redis("INCR", "weft:it:text"));
    assertThat(incr.stopInfo())
        .isEqualTo(
            map(
                "etype",
                "JedisDataException",
                "message",
                "ERR value is not an integer or out of range",
                "host",
                "it-host"));
  }

  @Test
  void connectionHandshakeIsNotRecorded() {
    String base;
    try (TraceScope t = Trace.begin("redis-base-5", null, null)) {
      base = t.baseId();
      try (Jedis fresh = new Jedis(host(), port())) {
        assertThat(fresh.ping()).isEqualTo("PONG");
      }
    }
    assertThat(Spans.of(base)).extracting(RecordedSpan::info).containsExactly(redis("PING", null));
  }

  @Test
  void nothingIsRecordedOutsideATraceOrWhenSwitchedOff() {
    jedis.set("weft:it:k", "v");
    try (TraceScope t = Trace.begin("redis-base-6", null, null)) {
      Weft.set("weft.trace.redis", "false");
      try {
        jedis.get("weft:it:k");
      } finally {
        Weft.set("weft.trace.redis", "true");
      }
    }
    assertThat(Spans.rawEvents()).isEmpty();
  }
}
