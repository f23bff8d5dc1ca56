package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * DESIGN §8 through Weft's real global pipeline: the Redis behind {@code weft.connection_string} is
 * killed while a traced workload runs, and comes back.
 *
 * <p>How the count is made exact: the redis-server runs with an append-only file fsynced on every
 * write ({@code appendfsync always}), so whatever it acknowledged survives the kill and is there
 * again after the restart on the same port and directory. Just before the kill the test pauses
 * every client ({@code CLIENT PAUSE}) and waits, so no command is half-way between "applied" and
 * "acknowledged" when the process dies: the commands that ran before the pause have been answered
 * and their replies read, the others never run. The spans in Redis after the restart are then
 * exactly the spans Weft counted as stored, and the drop counters hold exactly the rest.
 */
class RedisKilledMidRunTest {
  private static final int TRACES = 300;
  private static final int KILL_AT = 100;
  private static final int SPANS_PER_TRACE = 3;

  @TempDir Path dataDir;
  private RedisServer server;
  private int port;

  private RedisServer redis() throws Exception {
    RedisServer r =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("dir " + dataDir)
            .setting("appendonly yes")
            .setting("appendfsync always")
            .setting("save \"\"")
            .onShutdownForceStop(true) // stop() is a SIGKILL
            .build();
    r.start();
    return r;
  }

  @BeforeEach
  void start() throws Exception {
    port = TestSupport.freePort();
    server = redis();
  }

  @AfterEach
  void stop() throws Exception {
    Weft.resetRuntimeChanges();
    if (server != null && server.isActive()) {
      server.stop();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(2_000_000L);
    }
  }

  /** Flushes until every queued span is stored or dropped (the backoff may outlast one flush). */
  private static void flushAll() {
    await("the pipeline to drain", Weft::flush);
  }

  private long eventsInRedis() {
    try (JedisPooled r = new JedisPooled("127.0.0.1", port)) {
      long n = 0;
      for (String key : RedisRoundTripSuite.scan(r, "osprofiler_opt:*")) {
        n += r.llen(key);
      }
      return n;
    }
  }

  @Test
  void redisKilledMidRun_workloadUnaffected_dropsCountedExactly_storedAgainAfterRestart()
      throws Exception {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.connection_string", "redis://127.0.0.1:" + port);
    Pipeline p = WeftRuntime.pipeline();
    flushAll();
    long accepted0 = p.accepted();
    long stored0 = p.stored();
    long dropped0 = p.droppedCollector() + p.droppedQueueFull();
    long errors0 = p.collectorErrors();

    AtomicInteger progress = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicLong produced = new AtomicLong();
    Thread workload =
        new Thread(
            () -> {
              for (int i = 0; i < TRACES; i++) {
                try (TraceScope t = Trace.begin(UUID.randomUUID().toString(), null, null)) {
                  try (Span root = Trace.span("request")) {
                    count(root, produced);
                    try (Span load = Trace.span("load")) {
                      load.info("item", Integer.toString(i));
                      count(load, produced);
                    }
                    try (Span save = Trace.span("save")) {
                      count(save, produced);
                    }
                  }
                } catch (Throwable t) {
                  failures.incrementAndGet();
                }
                progress.incrementAndGet();
                LockSupport.parkNanos(3_000_000L);
              }
            },
            "workload");
    workload.start();

    await("the workload to get going", () -> progress.get() >= KILL_AT);
    long storedBeforeKill;
    try (Jedis admin = new Jedis("127.0.0.1", port)) {
      admin.clientPause(60_000); // no client's command runs after this one
    }
    LockSupport.parkNanos(200_000_000L); // replies to what ran before it reach the collector
    storedBeforeKill = p.stored() - stored0;
    server.stop(); // SIGKILL, mid-run
    await("a failed batch", () -> p.collectorErrors() > errors0);
    await("the workload to run on without Redis", () -> progress.get() >= 2 * KILL_AT);
    server = redis(); // same port, same append-only file
    workload.join(120_000);
    assertThat(workload.isAlive()).isFalse();
    flushAll();

    // After Redis is back, new traces are stored again.
    String after = UUID.randomUUID().toString();
    try (TraceScope t = Trace.begin(after, null, null)) {
      try (Span s = Trace.span("after_restart")) {
        count(s, produced);
      }
    }
    flushAll();

    long stored = p.stored() - stored0;
    long dropped = p.droppedCollector() + p.droppedQueueFull() - dropped0;
    assertThat(failures.get()).isZero();
    assertThat(produced.get()).isEqualTo((long) TRACES * SPANS_PER_TRACE + 1);
    assertThat(p.accepted() - accepted0).isEqualTo(produced.get());
    assertThat(dropped).isPositive();
    assertThat(storedBeforeKill).isPositive();
    assertThat(stored + dropped).isEqualTo(produced.get());
    // The drop counter equals the spans produced minus the spans actually in Redis.
    long spansInRedis = eventsInRedis() / 2;
    System.out.printf(
        "produced=%d stored=%d (before kill %d) dropped=%d in redis=%d failed batches=%d%n",
        produced.get(),
        stored,
        storedBeforeKill,
        dropped,
        spansInRedis,
        p.collectorErrors() - errors0);
    assertThat(eventsInRedis() % 2).isZero();
    assertThat(dropped).isEqualTo(produced.get() - spansInRedis);
    try (JedisPooled r = new JedisPooled("127.0.0.1", port)) {
      List<String> names = new ArrayList<>();
      List<String> list = new ArrayList<>(r.lrange("osprofiler_opt:" + after, 0, -1));
      Collections.reverse(list);
      for (String e : list) {
        names.add(TestSupport.tree(e).get("name").asText());
      }
      assertThat(names).containsExactly("after_restart-start", "after_restart-stop");
    }
  }

  @Test
  void redisDownAtStart_spansDroppedAndCounted_thenStoredOnceItIsUp() throws Exception {
    server.stop();
    Weft.set("weft.enabled", "true");
    Weft.set("weft.connection_string", "redis://127.0.0.1:" + port);
    Pipeline p = WeftRuntime.pipeline();
    flushAll();
    long stored0 = p.stored();
    long dropped0 = p.droppedCollector();
    String down = UUID.randomUUID().toString();
    AtomicLong produced = new AtomicLong();
    String answer;
    try (TraceScope t = Trace.begin(down, null, null)) {
      try (Span s = Trace.span("while_down")) {
        count(s, produced);
        answer = "application result";
      }
    }
    flushAll();
    assertThat(answer).isEqualTo("application result");
    assertThat(produced.get()).isEqualTo(1);
    assertThat(p.droppedCollector() - dropped0).isEqualTo(1);
    assertThat(p.stored() - stored0).isZero();

    server = redis();
    String up = UUID.randomUUID().toString();
    try (TraceScope t = Trace.begin(up, null, null)) {
      try (Span s = Trace.span("when_up")) {
        count(s, produced);
      }
    }
    flushAll();
    assertThat(p.stored() - stored0).isEqualTo(1);
    try (JedisPooled r = new JedisPooled("127.0.0.1", port)) {
      assertThat(r.llen("osprofiler_opt:" + up)).isEqualTo(2);
      assertThat(r.exists("osprofiler_opt:" + down)).isFalse();
    }
  }

  private static void count(Span s, AtomicLong produced) {
    if (s.isRecording()) {
      produced.incrementAndGet();
    }
  }
}
