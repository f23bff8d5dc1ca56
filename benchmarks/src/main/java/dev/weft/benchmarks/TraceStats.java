package dev.weft.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.weft.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code weft trace stats} over a {@code file://} store of many small traces (issue 14): one
 * operation is one whole run of the command (list the store, read every trace, fold it into the
 * per-label statistics, print the table), in a fork with a fixed 64 MB heap and the serial
 * collector. {@code list} is the store's share alone: {@code TraceReader.list}, which reads every
 * file once for its first timestamp.
 *
 * <p>The store is generated once per size under {@code java.io.tmpdir} ({@code
 * weft-stats-bench-<traces>}) in the file collector's layout: per trace a {@code wsgi} entry, a SQL
 * select, a Redis GET and a MongoDB find (one trace in 20 fails), with seeded random durations.
 * After each iteration the teardown prints the most heap in use after a full collection during the
 * iteration (the live set at that moment, from the collector's notifications) and the number of
 * full and young collections.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TraceStats}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms64m", "-Xmx64m", "-XX:+UseSerialGC"})
@State(Scope.Benchmark)
public class TraceStats {
  @Param({"10000", "100000"})
  int traces;

  Path store;
  final AtomicLong maxAfterGc = new AtomicLong();
  final AtomicLong gcs = new AtomicLong();
  final AtomicLong fullGcs = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    store = Path.of(System.getProperty("java.io.tmpdir"), "weft-stats-bench-" + traces);
    Path done = store.resolve(".complete");
    if (!Files.exists(done)) {
      generate(store, traces);
      Files.writeString(done, "");
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    n.getType())) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e :
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (!e.getKey().contains("Metaspace") && !e.getKey().contains("Code")) {
                    used += e.getValue().getUsed();
                  }
                }
                if (info.getGcAction().contains("major")) {
                  fullGcs.incrementAndGet();
                  maxAfterGc.accumulateAndGet(used, Math::max);
                } else {
                  gcs.incrementAndGet();
                }
              },
              null,
              null);
    }
  }

  @Setup(Level.Iteration)
  public void resetCounters() {
    maxAfterGc.set(0);
    gcs.set(0);
    fullGcs.set(0);
  }

  @TearDown(Level.Iteration)
  public void report() {
    System.out.printf(
        "%n%d traces: max heap in use after a full GC %.1f MB; %d full, %d young GCs%n",
        traces, maxAfterGc.get() / 1048576.0, fullGcs.get(), gcs.get());
  }

  @Benchmark
  public int stats() {
    StringWriter out = new StringWriter();
    picocli.CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(Writer.nullWriter()));
    int code = cl.execute("trace", "stats", "--connection-string", "file://" + store);
    if (code != 0 || !out.toString().startsWith("Stats over " + traces + " traces")) {
      throw new IllegalStateException("weft trace stats: exit " + code + ": " + out);
    }
    return out.toString().length();
  }

  @Benchmark
  public int list() throws Exception {
    try (dev.weft.spi.TraceReader r = dev.weft.Weft.reader("file://" + store)) {
      int n = r.list(false).size();
      if (n != traces) {
        throw new IllegalStateException(n + " traces listed");
      }
      return n;
    }
  }

  static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  /** Writes {@code n} traces of four spans each, as the file collector stores them. */
  static void generate(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(14);
    LocalDateTime t0 = LocalDateTime.of(2026, 11, 30, 8, 0);
    for (int i = 0; i < n; i++) {
      String base = new UUID(r.nextLong(), r.nextLong()).toString();
      LocalDateTime origin = t0.plusNanos(i * 10_000_000L);
      long sql = 200 + (long) (Math.exp(r.nextGaussian()) * 1500);
      long redis = 80 + r.nextInt(400);
      long mongo = 300 + (long) (Math.exp(r.nextGaussian()) * 3000);
      long end = 100 + sql + 100 + redis + 100 + mongo + 200;
      boolean error = i % 20 == 0;
      String e = id(r);
      StringBuilder b = new StringBuilder();
      int queue = r.nextInt(50);
      line(
          b,
          base,
          "wsgi-start",
          e,
          base,
          origin,
          0,
          "\"request\": {\"path\": \"/v2/queues/demo-"
              + queue
              + "/messages\", \"query\": \"\", \"method\": \"GET\", \"scheme\": \"http\"}");
      long at = 100;
      String did = id(r);
      line(
          b,
          base,
          "db-start",
          did,
          e,
          origin,
          at,
          "\"db\": {\"system\": \"h2\", \"statement\": \"SELECT id, body FROM messages WHERE"
              + " queue = ? LIMIT ?\"}");
      line(b, base, "db-stop", did, e, origin, at + sql, null);
      at += sql + 100;
      String rid = id(r);
      line(
          b,
          base,
          "redis-start",
          rid,
          e,
          origin,
          at,
          "\"db\": {\"system\": \"redis\", \"operation\": \"GET\", \"key\": \"queue:demo-"
              + queue
              + "\"}");
      line(b, base, "redis-stop", rid, e, origin, at + redis, null);
      at += redis + 100;
      String mid = id(r);
      line(
          b,
          base,
          "mongodb-start",
          mid,
          e,
          origin,
          at,
          "\"db\": {\"system\": \"mongodb\", \"namespace\": \"zaqar\", \"collection\":"
              + " \"messages\", \"operation\": \"find\"}");
      line(b, base, "mongodb-stop", mid, e, origin, at + mongo, null);
      line(
          b,
          base,
          "wsgi-stop",
          e,
          base,
          origin,
          end,
          error
              ? "\"etype\": \"TimeoutError\", \"message\": \"queue demo-" + queue + " timed out\""
              : "\"response\": {\"status\": 200}");
      Files.writeString(dir.resolve(base + ".jsonl"), b, StandardCharsets.UTF_8);
      if (error) {
        Files.writeString(
            dir.resolve(base + ".error"),
            "{\"base_id\": \"" + base + "\", \"timestamp\": \"" + ts(origin, end) + "\"}\n");
      }
    }
  }

  private static String id(Random r) {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static String ts(LocalDateTime origin, long micros) {
    return origin.plusNanos(micros * 1000).format(TS);
  }

  private static void line(
      StringBuilder b,
      String base,
      String name,
      String id,
      String parent,
      LocalDateTime origin,
      long micros,
      String info) {
    b.append("{\"name\": \"")
        .append(name)
        .append("\", \"base_id\": \"")
        .append(base)
        .append("\", \"trace_id\": \"")
        .append(id)
        .append("\", \"parent_id\": \"")
        .append(parent)
        .append("\", \"timestamp\": \"")
        .append(ts(origin, micros))
        .append("\", \"info\": {")
        .append(info == null ? "" : info + ", ")
        .append("\"host\": \"bench-1\"}, \"project\": \"zaqar\", \"service\": \"queues-api\"}\n");
  }
}
