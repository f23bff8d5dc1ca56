package dev.weft.benchmarks;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * Sustained spans per second that Weft's one collector thread encodes and stores without dropping
 * any: {@code file://} (a directory under {@code java.io.tmpdir}) and {@code redis://} (a real
 * redis-server from embedded-redis on 127.0.0.1), with one and two application threads opening
 * spans (the woven {@link TracedWork#work()} inside a trace, as {@code RestingOverhead.traced}).
 *
 * <p>One operation is one span. The producers open spans as fast as they can but wait while more
 * than {@value #PACE_QUEUED} spans are queued, so the score is the rate at which the collector
 * thread drains the queue into the store, not the rate at which spans could be dropped. After each
 * iteration (outside the measured time) the queue is flushed and the store is read back: it must
 * hold exactly two events (start and stop) per span offered in the iteration, and no span may have
 * been dropped; the benchmark fails otherwise. Then the store is emptied (FLUSHALL, or the trace
 * files deleted) so that memory and disk stay bounded. Each trial prints its counters.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CollectorThroughput}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class CollectorThroughput {
  /** Producers wait while more spans than this are queued (a quarter of the default queue). */
  static final int PACE_QUEUED = 16_384;

  /** The store, Weft pointed at it, and the per-iteration check. */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"file", "redis"})
    public String store;

    RedisServer server;
    Jedis admin;
    Path dir;
    Pipeline pipeline;
    long acceptedBefore;
    long spansChecked;

    @Setup(Level.Trial)
    public void start() throws Exception {
      String cs;
      if (store.equals("redis")) {
        int port = freePort();
        server = Drivers.redisServer(port);
        admin = new Jedis("127.0.0.1", port);
        cs = "redis://127.0.0.1:" + port;
      } else {
        dir = Files.createTempDirectory("weft-collector-throughput");
        cs = "file://" + dir;
      }
      Weft.set("weft.flush_timeout_millis", "120000");
      Weft.set("weft.connection_string", cs);
      Weft.set("weft.trace.annotated", "true");
      Weft.set("weft.enabled", "true");
      pipeline = WeftRuntime.pipeline();
      acceptedBefore = pipeline.accepted();
    }

    /** Every span of the iteration stored as two events, none dropped; then the store emptied. */
    @TearDown(Level.Iteration)
    public void checkAndEmpty() throws Exception {
      if (!Weft.flush()) {
        throw new IllegalStateException("the collector did not drain the queue in time");
      }
      long accepted = pipeline.accepted();
      long spans = accepted - acceptedBefore;
      acceptedBefore = accepted;
      long events = eventsStored();
      if (pipeline.droppedQueueFull() != 0
          || pipeline.droppedCollector() != 0
          || events != 2 * spans) {
        throw new IllegalStateException(
            "spans offered "
                + spans
                + ", events stored "
                + events
                + ", dropped (queue full) "
                + pipeline.droppedQueueFull()
                + ", dropped (collector) "
                + pipeline.droppedCollector());
      }
      spansChecked += spans;
      empty();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      System.out.printf(
          "%nweft pipeline (%s): spans accepted=%d, stored=%d, checked in the store=%d,"
              + " dropped (queue full)=%d, dropped (collector)=%d%n",
          store,
          pipeline.accepted(),
          pipeline.stored(),
          spansChecked,
          pipeline.droppedQueueFull(),
          pipeline.droppedCollector());
      if (admin != null) {
        admin.close();
        server.stop();
      } else {
        empty();
        Files.deleteIfExists(dir);
      }
    }

    private long eventsStored() throws IOException {
      if (admin != null) {
        long n = 0;
        for (String key : admin.keys("osprofiler_opt:*")) {
          n += admin.llen(key);
        }
        return n;
      }
      long n = 0;
      for (Path f : files()) {
        if (f.toString().endsWith(".jsonl")) {
          try (Stream<String> lines = Files.lines(f)) {
            n += lines.count();
          }
        }
      }
      return n;
    }

    private void empty() throws IOException {
      if (admin != null) {
        admin.flushAll();
        return;
      }
      for (Path f : files()) {
        Files.delete(f);
      }
    }

    private List<Path> files() throws IOException {
      try (Stream<Path> s = Files.list(dir)) {
        return s.toList();
      }
    }
  }

  /** A trace open on the producer thread for the whole iteration. */
  @State(Scope.Thread)
  public static class Producer {
    final TracedWork work = new TracedWork();
    private TraceScope scope;
    private int sincePaceCheck;

    @Setup(Level.Iteration)
    public void begin(Store store) {
      scope = Trace.begin(UUID.randomUUID().toString(), null, null);
    }

    @TearDown(Level.Iteration)
    public void end() {
      scope.close();
    }

    /** Waits while the queue holds more than {@value #PACE_QUEUED} spans (checked every 64). */
    void pace(Pipeline p) {
      if ((++sincePaceCheck & 63) == 0) {
        while (p.queueSize() > PACE_QUEUED) {
          LockSupport.parkNanos(20_000L);
        }
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  @Threads(1)
  public long oneProducer(Store s, Producer p) {
    p.pace(s.pipeline);
    return p.work.work();
  }

  @Benchmark
  @Threads(2)
  public long twoProducers(Store s, Producer p) {
    p.pace(s.pipeline);
    return p.work.work();
  }
}
