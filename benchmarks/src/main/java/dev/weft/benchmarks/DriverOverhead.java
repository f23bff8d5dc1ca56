package dev.weft.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.hibernate.SessionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * Per-operation overhead of the storage categories (issue "storage"), each driver call against a
 * real server on 127.0.0.1, four ways:
 *
 * <ul>
 *   <li>{@code *Unwoven} — a JVM without the weaving agent: the driver is not woven at all;
 *   <li>{@code *WovenDisabled} — {@code -javaagent} with the shipped aop.xml, {@code
 *       weft.enabled=false};
 *   <li>{@code *EnabledNotTraced} — woven, enabled (the category switched on), no trace active;
 *   <li>{@code *Traced} — woven, inside a trace: the category's spans recorded and collected into
 *       {@code discard://}.
 * </ul>
 *
 * <p>Operations: Redis — Jedis {@code GET} of one key on redis-server (embedded-redis); MongoDB —
 * {@code find(eq("_id", 1)).first()} on mongo-java-server (memory backend); SQL — a new Hibernate
 * session running one HQL selection query by id on H2 (over HikariCP), then closed. Only the
 * measured category is switched on; {@code weft.trace.pooling} is off, so connection checkouts are
 * not recorded.
 *
 * <p>Run from the repository root (the agent's path is relative to it): {@code java -jar
 * benchmarks/target/benchmarks.jar DriverOverhead}. JMH forks a JVM per benchmark method: the
 * {@code *Unwoven} forks run without the agent, the others with {@value #AGENT}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DriverOverhead {
  /** The load-time weaving agent, copied next to the benchmarks jar by the build. */
  static final String AGENT = "-javaagent:benchmarks/target/aspectjweaver.jar";

  static final String HEAP_MIN = "-Xms768m";
  static final String HEAP_MAX = "-Xmx768m";

  // ---- Weft states

  /** {@code weft.enabled=false}. */
  @State(Scope.Benchmark)
  public static class WeftOff {
    @Setup(Level.Trial)
    public void configure() {
      configureWeft(false);
    }
  }

  /** Enabled, Redis/MongoDB/SQL categories on, pooling off, {@code discard://}. */
  @State(Scope.Benchmark)
  public static class WeftOn {
    @Setup(Level.Trial)
    public void configure() {
      configureWeft(true);
    }

    @TearDown(Level.Trial)
    public void report() {
      Weft.flush();
      ServletOverhead.printPipeline();
    }
  }

  static void configureWeft(boolean enabled) {
    Weft.set("weft.queue.capacity", String.valueOf(1 << 18));
    Weft.set("weft.flush_timeout_millis", "120000");
    Weft.set("weft.connection_string", "discard://");
    Weft.set("weft.trace.redis", "true");
    Weft.set("weft.trace.mongodb", "true");
    Weft.set("weft.trace.sql", "true");
    Weft.set("weft.trace.pooling", "false");
    Weft.set("weft.service", "bench");
    Weft.set("weft.enabled", String.valueOf(enabled));
  }

  /** A trace active on the benchmark thread for the whole iteration. */
  @State(Scope.Thread)
  public static class InTrace {
    private TraceScope scope;

    /** Traced operations in this trial, printed next to the pipeline's span count. */
    long ops;

    @Setup(Level.Iteration)
    public void begin(WeftOn on) {
      scope = Trace.begin(UUID.randomUUID().toString(), null, null);
    }

    @TearDown(Level.Iteration)
    public void end() {
      scope.close();
      Weft.flush(); // drain the ring outside the measured time
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.printf("%ntraced operations in this trial: %d%n", ops);
    }
  }

  // ---- servers and clients

  /** redis-server and one Jedis connection; key {@code bench:key} holds a short value. */
  @State(Scope.Benchmark)
  public static class Redis {
    RedisServer server;
    Jedis jedis;

    @Setup(Level.Trial)
    public void start() throws Exception {
      int port = CollectorThroughput.freePort();
      server = Drivers.redisServer(port);
      jedis = new Jedis("127.0.0.1", port);
      jedis.set("bench:key", "value");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      jedis.close();
      server.stop();
    }
  }

  /** mongo-java-server and a client; collection {@code bench.items} holds one document. */
  @State(Scope.Benchmark)
  public static class Mongo {
    MongoServer server;
    MongoClient client;
    MongoCollection<Document> items;

    @Setup(Level.Trial)
    public void start() {
      server = Drivers.mongoServer();
      client = Drivers.mongoClient(server);
      items = Drivers.items(client);
      items.insertOne(new Document("_id", 1).append("owner", "bench"));
    }

    @TearDown(Level.Trial)
    public void stop() {
      client.close();
      server.shutdownNow();
    }
  }

  /** Hibernate on H2 with one {@link BenchAccount}. */
  @State(Scope.Benchmark)
  public static class Sql {
    SessionFactory sf;

    @Setup(Level.Trial)
    public void start() {
      sf = Drivers.hibernate("bench-" + UUID.randomUUID());
      sf.inTransaction(s -> s.persist(new BenchAccount(1L, "bench")));
    }

    @TearDown(Level.Trial)
    public void stop() {
      sf.close();
    }
  }

  // ---- Redis

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String redisUnwoven(WeftOff off, Redis r) {
    return r.jedis.get("bench:key");
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String redisWovenDisabled(WeftOff off, Redis r) {
    return r.jedis.get("bench:key");
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String redisEnabledNotTraced(WeftOn on, Redis r) {
    return r.jedis.get("bench:key");
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String redisTraced(InTrace t, Redis r) {
    t.ops++;
    return r.jedis.get("bench:key");
  }

  // ---- MongoDB

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public Document mongoUnwoven(WeftOff off, Mongo m) {
    return m.items.find(Filters.eq("_id", 1)).first();
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public Document mongoWovenDisabled(WeftOff off, Mongo m) {
    return m.items.find(Filters.eq("_id", 1)).first();
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public Document mongoEnabledNotTraced(WeftOn on, Mongo m) {
    return m.items.find(Filters.eq("_id", 1)).first();
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public Document mongoTraced(InTrace t, Mongo m) {
    t.ops++;
    return m.items.find(Filters.eq("_id", 1)).first();
  }

  // ---- SQL

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String sqlUnwoven(WeftOff off, Sql s) {
    return Drivers.queryOwner(s.sf, 1L);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String sqlWovenDisabled(WeftOff off, Sql s) {
    return Drivers.queryOwner(s.sf, 1L);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String sqlEnabledNotTraced(WeftOn on, Sql s) {
    return Drivers.queryOwner(s.sf, 1L);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsPrepend = AGENT,
      jvmArgsAppend = {HEAP_MIN, HEAP_MAX})
  public String sqlTraced(InTrace t, Sql s) {
    t.ops++;
    return Drivers.queryOwner(s.sf, 1L);
  }
}
