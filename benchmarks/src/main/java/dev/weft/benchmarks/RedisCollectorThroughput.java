package dev.weft.benchmarks;

import dev.weft.internal.collect.Collectors;
import dev.weft.internal.context.Clock;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.pipeline.EventEncoder;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * Sustained spans per second into Redis through the {@code redis://} collector (issue
 * "collectors"): one operation stores one batch of {@value #SPANS} spans ({@value #EVENTS} events)
 * as the collector thread hands it over — one MULTI/EXEC with an LPUSH per trace in the batch — to
 * a real redis-server (embedded-redis) on 127.0.0.1.
 *
 * <p>The events come from the same {@link EventEncoder} the pipeline uses, from {@value #SPANS}
 * span records in {@value #TRACES} traces (a db-like info map per span). {@code store} stores a
 * batch encoded once before measuring (its JSON text already built): the collector's share. {@code
 * encodeAndStore} encodes the records afresh per operation, as the collector thread does. The score
 * is in spans per second ({@code @OperationsPerInvocation(512)}: batches per second × 512). The
 * server is emptied (FLUSHALL) before every iteration, outside the measured time, so its memory
 * stays bounded.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RedisCollectorThroughput}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class RedisCollectorThroughput {
  static final int SPANS = 512;
  static final int EVENTS = 2 * SPANS;
  static final int TRACES = 64;

  /** A db-like span: {@code "db": {"system": "redis", "operation": ..., "key": ...}}. */
  static final InfoShape DB =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", "redis");
          w.field("operation", r.a);
          w.field("key", r.b);
          w.endObject();
        }

        @Override
        public String category() {
          return "redis";
        }
      };

  /** redis-server, the collector and the prebuilt batch. */
  @State(Scope.Benchmark)
  public static class Store {
    RedisServer server;
    Collector collector;
    Jedis admin;
    List<Event> batch;
    List<SpanRecord> records;
    EventEncoder encoder;

    @Setup(Level.Trial)
    public void start() throws Exception {
      int port = freePort();
      server =
          RedisServer.newRedisServer()
              .bind("127.0.0.1")
              .port(port)
              .setting("save \"\"")
              .setting("appendonly no")
              .soutListener(line -> {})
              .serrListener(line -> {})
              .build();
      server.start();
      collector = Collectors.collector("redis://127.0.0.1:" + port, Map.of());
      admin = new Jedis("127.0.0.1", port);
      batch = builtBatch();
      records = records();
      encoder = new EventEncoder("weft", "bench", "bench-host");
    }

    @Setup(Level.Iteration)
    public void flush() {
      admin.flushAll();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      System.out.printf(
          "%nredis: %d events in %d keys after the last iteration%n",
          eventsStored(), admin.dbSize());
      collector.close();
      admin.close();
      server.stop();
    }

    private long eventsStored() {
      long n = 0;
      for (String key : admin.keys("osprofiler_opt:*")) {
        n += admin.llen(key);
      }
      return n;
    }
  }

  /** {@value #SPANS} spans in {@value #TRACES} traces, encoded into {@value #EVENTS} events. */
  static List<Event> batch() {
    List<Event> events = new ArrayList<>(EVENTS);
    EventEncoder encoder = new EventEncoder("weft", "bench", "bench-host");
    for (SpanRecord r : records()) {
      encoder.encode(r, events);
    }
    if (events.size() != EVENTS) {
      throw new IllegalStateException("encoded " + events.size() + " events");
    }
    return events;
  }

  /** The {@value #SPANS} finished span records the batches are made of. */
  static List<SpanRecord> records() {
    Random random = new Random(42);
    List<SpanRecord> records = new ArrayList<>(SPANS);
    long now = Clock.tick();
    String[] traces = new String[TRACES];
    for (int t = 0; t < TRACES; t++) {
      traces[t] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
    for (int i = 0; i < SPANS; i++) {
      SpanRecord r = new SpanRecord();
      r.name = "db";
      r.shape = DB;
      r.baseId = traces[i % TRACES];
      r.parentHi = random.nextLong();
      r.parentLo = random.nextLong();
      r.idHi = random.nextLong();
      r.idLo = random.nextLong();
      r.startTick = now + i * 1_000L;
      r.stopTick = r.startTick + 250_000L;
      r.a = "GET";
      r.b = "message:" + i;
      records.add(r);
    }
    return List.copyOf(records);
  }

  /** The batch of {@link #store}: its events' JSON text built once, here, before measuring. */
  static List<Event> builtBatch() {
    List<Event> events = batch();
    for (Event e : events) {
      e.json();
      e.timestamp();
    }
    return List.copyOf(events);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Stores the prebuilt batch: the collector's share (grouping, MULTI/EXEC, Redis). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void store(Store s) throws Exception {
    s.collector.store(s.batch);
  }

  /**
   * What the pipeline's collector thread does per batch: encode the {@value #SPANS} finished
   * records into events (their JSON text is built when the collector reads it) and store them.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void encodeAndStore(Store s) throws Exception {
    List<Event> events = new ArrayList<>(EVENTS);
    for (SpanRecord r : s.records) {
      s.encoder.encode(r, events);
    }
    s.collector.store(events);
  }
}
