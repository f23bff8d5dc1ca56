package dev.weft.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
 * The start-up cost of load-time weaving with the shipped aop.xml: in a fresh JVM, one measured
 * call starts an application's worth of drivers for the first time and uses each once — a Hibernate
 * SessionFactory on H2 (schema created, one entity persisted, one query), a Jedis connection (SET,
 * GET), a MongoDB client (insert, find) and a Jetty 12 server with one servlet (one request) — with
 * and without {@code -javaagent}. Every class these load is loaded (and, with the agent, matched
 * against aop.xml's includes and woven) inside the measured call.
 *
 * <p>{@code SingleShotTime}, one call per fork, no warm-up, many forks: the score is the mean
 * first-time cost over the forks. What it does not include: the agent's own start (premain, before
 * JMH's harness runs), the JVM's, and closing what the call opened (done after it). The servers
 * (redis-server, mongo-java-server) start in the setup, outside the measured call. {@code
 * weft.enabled} keeps its default (false).
 *
 * <p>Run from the repository root: {@code java -jar benchmarks/target/benchmarks.jar LtwStartup}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class LtwStartup {

  /** The servers the drivers talk to, started before the measured call. */
  @State(Scope.Benchmark)
  public static class Servers {
    RedisServer redis;
    int redisPort;
    MongoServer mongo;

    /** What the measured call opened; closed after it, outside the measured time. */
    final List<AutoCloseable> opened = new ArrayList<>();

    @Setup(Level.Trial)
    public void start() throws Exception {
      redisPort = CollectorThroughput.freePort();
      redis = Drivers.redisServer(redisPort);
      mongo = Drivers.mongoServer();
    }

    @TearDown(Level.Iteration)
    public void closeOpened() throws Exception {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
      opened.clear();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      mongo.shutdownNow();
      redis.stop();
    }
  }

  @Benchmark
  @Fork(value = 10)
  public String noAgent(Servers s) throws Exception {
    return startEverything(s);
  }

  @Benchmark
  @Fork(value = 10, jvmArgsPrepend = DriverOverhead.AGENT)
  public String withAgent(Servers s) throws Exception {
    return startEverything(s);
  }

  /**
   * Starts and uses each driver once, keeping everything open (closed after the measured call).
   * Prints how long each part took, so a run shows where the agent's cost lands.
   */
  static String startEverything(Servers s) throws Exception {
    StringBuilder out = new StringBuilder();
    long t0 = System.nanoTime();
    SessionFactory sf = Drivers.hibernate("startup-" + UUID.randomUUID());
    s.opened.add(sf);
    sf.inTransaction(session -> session.persist(new BenchAccount(1L, "startup")));
    out.append(Drivers.queryOwner(sf, 1L));
    long t1 = System.nanoTime();
    Jedis jedis = new Jedis("127.0.0.1", s.redisPort);
    s.opened.add(jedis);
    jedis.set("startup", "redis");
    out.append(jedis.get("startup"));
    long t2 = System.nanoTime();
    MongoClient client = Drivers.mongoClient(s.mongo);
    s.opened.add(client);
    var items = Drivers.items(client);
    items.insertOne(new Document("_id", 1).append("owner", "mongo"));
    out.append(items.find(Filters.eq("_id", 1)).first().getString("owner"));
    long t3 = System.nanoTime();
    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    http.setPort(0);
    server.addConnector(http);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder("woven", new BenchServlets.Woven()), "/woven");
    server.setHandler(ctx);
    server.setStopTimeout(0);
    server.start();
    s.opened.add(server::stop);
    URI uri = URI.create("http://127.0.0.1:" + http.getLocalPort() + "/woven");
    out.append(new LoopbackClient().send(LoopbackClient.request("GET", uri, Map.of(), null), 200));
    long t4 = System.nanoTime();
    System.out.printf(
        "%nparts (ms): hibernate+h2 %d, jedis %d, mongodb %d, jetty+request %d%n",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
    return out.toString();
  }
}
