package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.WeftMXBean;
import dev.weft.spi.TraceReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * {@code redissentinel://} against a real Redis Sentinel (Debian's redis-server, run as a master, a
 * replica and a sentinel): traced work goes on while the master is killed and the sentinel promotes
 * the replica; Weft keeps storing into the new master, counts what it dropped during the switch,
 * and the application's calls never fail. Skipped (visibly) without {@code /usr/bin/redis-server}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSentinelFailoverTest {
  static final String REDIS_SERVER = "/usr/bin/redis-server";

  Path dir;
  Process master;
  Process replica;
  Process sentinel;
  int masterPort;
  int replicaPort;
  int sentinelPort;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        new File(REDIS_SERVER).canExecute(), REDIS_SERVER + " missing: sentinel failover skipped");
    dir = Files.createTempDirectory("weft-sentinel");
    masterPort = TestSupport.freePort();
    replicaPort = TestSupport.freePort();
    sentinelPort = TestSupport.freePort();
    master = redis("master", "--port", Integer.toString(masterPort));
    replica =
        redis(
            "replica",
            "--port",
            Integer.toString(replicaPort),
            "--replicaof",
            "127.0.0.1",
            Integer.toString(masterPort));
    awaitTrue(
        () -> info(replicaPort, "replication").contains("master_link_status:up"),
        "the replica follows the master");
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + sentinelPort,
            "bind 127.0.0.1",
            "dir " + dir,
            "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1",
            "sentinel down-after-milliseconds mymaster 1000",
            "sentinel failover-timeout mymaster 5000",
            "sentinel parallel-syncs mymaster 1",
            ""));
    sentinel =
        new ProcessBuilder(REDIS_SERVER, conf.toString(), "--sentinel")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sentinel.log").toFile())
            .start();
    awaitTrue(
        () -> {
          try (Jedis j = new Jedis("127.0.0.1", sentinelPort)) {
            return j.sentinelGetMasterAddrByName("mymaster")
                .equals(List.of("127.0.0.1", Integer.toString(masterPort)));
          }
        },
        "the sentinel monitors the master");
    Weft.set("weft.enabled", "true");
  }

  private Process redis(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(REDIS_SERVER));
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  private static String info(int port, String section) {
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      return j.info(section);
    } catch (RuntimeException notYet) {
      return "";
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check c, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  @AfterAll
  void stop() throws Exception {
    Weft.set("weft.connection_string", "memory://");
    for (Process p : new Process[] {sentinel, replica, master}) {
      if (p != null) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void masterKilled_theSentinelPromotesTheReplica_andWeftKeepsStoringWithoutFailingACall()
      throws Exception {
    String cs = "redissentinel://127.0.0.1:" + sentinelPort + "?sentinel_service_name=mymaster";
    Weft.set("weft.connection_string", cs);
    WeftMXBean weft = Weft.management();
    long accepted0 = weft.getSpansAccepted();
    long stored0 = weft.getSpansStored();
    long dropped0 = weft.getSpansDroppedCollectorError();
    long full0 = weft.getSpansDroppedQueueFull();

    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failedCalls = new AtomicInteger();
    List<long[]> traceTimes = new CopyOnWriteArrayList<>(); // {start nanos}
    List<String> bases = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    long loadEnd = t0 + TimeUnit.SECONDS.toNanos(14);
    Thread load =
        new Thread(
            () -> {
              while (System.nanoTime() < loadEnd) {
                String base = UUID.randomUUID().toString();
                try {
                  long started = System.nanoTime();
                  try (TraceScope t = Trace.begin(base, null, null);
                      Span root = Trace.span("work")) {
                    root.info("n", Integer.toString(calls.get()));
                    try (Span child = Trace.span("step")) {
                      child.info("k", "v");
                    }
                  }
                  bases.add(base);
                  traceTimes.add(new long[] {started});
                } catch (RuntimeException e) {
                  failedCalls.incrementAndGet();
                }
                calls.incrementAndGet();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "traced-load");
    load.start();

    Thread.sleep(3000);
    long storedBeforeKill = weft.getSpansStored();
    master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    long killedAt = System.nanoTime();
    awaitTrue(
        () -> {
          try (Jedis j = new Jedis("127.0.0.1", sentinelPort)) {
            return j.sentinelGetMasterAddrByName("mymaster")
                .equals(List.of("127.0.0.1", Integer.toString(replicaPort)));
          }
        },
        "the sentinel promotes the replica");
    long promotedAt = System.nanoTime();
    long storedAtPromotion = weft.getSpansStored();
    awaitTrue(() -> weft.getSpansStored() > storedAtPromotion, "Weft stores into the new master");
    long recoveredAt = System.nanoTime();
    load.join();
    assertThat(Weft.flush()).isTrue();

    long accepted = weft.getSpansAccepted() - accepted0;
    long stored = weft.getSpansStored() - stored0;
    long dropped = weft.getSpansDroppedCollectorError() - dropped0;
    long refused = weft.getSpansDroppedQueueFull() - full0;
    System.out.printf(
        "sentinel failover: %d calls, %d failed; spans accepted %d = stored %d + dropped %d (%d"
            + " refused by the full queue); stored before the kill %d; promotion %d ms after the"
            + " kill; storing again %d ms after the kill (%d ms after the promotion)%n",
        calls.get(),
        failedCalls.get(),
        accepted,
        stored,
        dropped,
        refused,
        storedBeforeKill - stored0,
        TimeUnit.NANOSECONDS.toMillis(promotedAt - killedAt),
        TimeUnit.NANOSECONDS.toMillis(recoveredAt - killedAt),
        TimeUnit.NANOSECONDS.toMillis(recoveredAt - promotedAt));

    assertThat(failedCalls.get()).isZero();
    assertThat(calls.get()).isPositive();
    assertThat(refused).isZero();
    assertThat(accepted).isEqualTo(stored + dropped).isEqualTo(2L * calls.get());
    assertThat(storedBeforeKill - stored0).isPositive();
    assertThat(weft.getSpansStored()).isGreaterThan(storedAtPromotion);

    // Every trace begun a second after Weft stored again is whole in the new master, read through
    // the sentinel as the CLI reads it.
    TraceReader reader = new WeftCollectorFactory().reader(cs);
    try {
      int checked = 0;
      long after = recoveredAt + TimeUnit.SECONDS.toNanos(1);
      for (int i = 0; i < bases.size(); i++) {
        if (traceTimes.get(i)[0] > after) {
          assertThat(reader.events(bases.get(i))).as(bases.get(i)).hasSize(4);
          checked++;
        }
      }
      assertThat(checked).isPositive();
      System.out.printf("sentinel failover: %d traces after recovery read back whole%n", checked);
    } finally {
      reader.close();
    }
    try (Jedis j = new Jedis("127.0.0.1", replicaPort)) {
      assertThat(j.info("replication")).contains("role:master");
    }
  }
}
