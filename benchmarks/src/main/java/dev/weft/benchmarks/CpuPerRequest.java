package dev.weft.benchmarks;

import dev.weft.TraceHeaders;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.demo.EmbeddedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per request of the test-app at a fixed request rate (issue 13, item 4): the test-app's {@code
 * serve} runs in a child JVM of its own, as it ships ({@code -javaagent:} Weft's agent, so the
 * drivers are load-time woven, and the app's own code compile-time woven), against a real
 * redis-server (embedded-redis), mongo-java-server and H2, with one message pool of each kind.
 *
 * <p>One operation ({@code SingleShotTime}) is one window of {@code seconds} seconds in which
 * requests are sent at {@code rate} per second, one at a time, on a fixed schedule (a request is
 * sent at its slot, or at once when the previous answer came after it); every answer's status is
 * checked. The child process's CPU time ({@code ProcessHandle.info().totalCpuDuration()}, all its
 * threads: request threads, GC, JIT, Weft's collector thread) is read before and after the window;
 * {@link ChildCpuProfiler} reports that CPU time divided by the requests answered as {@code
 * cpu.per.request} (µs/request). The primary score is the window's wall time.
 *
 * <p>The requests cycle over the three pools' queues: post one message (201), get it (200), delete
 * it (204), for each queue, then list the pools (200, a Hibernate query on the management
 * database): 10 requests a cycle, every one through the catalog lookup (pooling) and the servlet
 * entry, the storage calls in Redis, MongoDB and SQL.
 *
 * <ul>
 *   <li>{@code disabled}: {@code weft.enabled=false};
 *   <li>{@code enabledNotTraced}: enabled, every category on, requests unsigned;
 *   <li>{@code tracedAll}: enabled, every category on, every request signed with the trusted key
 *       (its own trace), spans collected by {@code file://} into a temporary directory;
 *   <li>{@code toggled} (not a default: {@code -p weft=toggled}): one child, every category on,
 *       requests unsigned; each window is two halves of {@code seconds}/2, one with Weft switched
 *       off at run time over JMX ({@code WeftMXBean.setEnabled(false)}), one with it on, the order
 *       alternating from window to window. {@code cpu.on.off} is the on half's CPU per request over
 *       the off half's, paired within the window ({@code cpu.off}, {@code cpu.on}: the halves).
 *   <li>{@code tracedToggled} (not a default): one child, enabled, every category on; each window
 *       is a half of requests all signed (traced) and a half unsigned, alternating; {@code
 *       cpu.on.off} is the signed half over the unsigned one ({@code cpu.off}: unsigned, {@code
 *       cpu.on}: signed). Priming alternates signed and unsigned requests.
 * </ul>
 *
 * <p>With {@code -p slices=N} (N &gt; 1) the two paired rows cut each window into N pairs of short
 * slices instead of two halves, the sides in the order off, on, on, off, ..., and read each slice's
 * CPU time per thread from {@code schedstat} (nanoseconds, where the process's time is in 10 ms
 * ticks); Weft's own threads' CPU goes to the on side whatever slice it fell in.
 *
 * <p>The trial's teardown stops the child with SIGTERM, prints Weft's shutdown line and checks, for
 * {@code tracedAll} and {@code tracedToggled}, that every signed request left one trace and that
 * every span accepted was stored; for the others, that no span was recorded. {@code rate=0} sends
 * as fast as one client thread can (to measure the saturation the fixed rate is chosen against).
 * Run from the repository root (the paths of the agent and the app's jar are relative): {@code java
 * -jar benchmarks/target/benchmarks.jar CpuPerRequest -prof dev.weft.benchmarks.ChildCpuProfiler}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CpuPerRequest {
  static final String KEY = "bench-key";

  /**
   * The {@code weft} value of the paired row: one child, enabled at start, requests unsigned; each
   * window is two halves, one with Weft switched off at run time ({@code WeftMXBean.setEnabled}
   * over JMX), one with it on, in alternating order.
   */
  static final String TOGGLED = "toggled";

  /**
   * The {@code weft} value of the traced pair: one child, enabled with every category on; each
   * window is two halves, one with every request signed (traced), one unsigned, in alternating
   * order. Its {@code cpu.on.off} is traced over enabled-untraced in the same JVM.
   */
  static final String TRACED_TOGGLED = "tracedToggled";

  static final String AGENT_JAR = "test-app/target/weft-agent.jar";
  static final String APP_JAR = "test-app/target/weft-test-app.jar";
  static final String MESSAGE =
      "{\"messages\": [{\"body\": {\"event\": \"bench\", \"n\": 1}, \"ttl\": 300}]}";
  static final String[] CATEGORIES = {
    "annotated", "servlet", "http", "mongodb", "redis", "sql", "pooling", "async"
  };
  private static final Pattern SHUTDOWN =
      Pattern.compile(
          "weft: shutdown stored \\d+ spans, left (\\d+) unstored \\(bound \\d+ ms\\); since start"
              + " (\\d+) accepted = (\\d+) stored \\+ (\\d+) dropped by the collector \\+ \\d+"
              + " unstored, (\\d+) refused by the full queue");

  private static final Pattern START = Pattern.compile("\"name\":\\s*\"([^\"]+)-start\"");

  /** The child JVM, its servers and the request cycle. */
  @State(Scope.Benchmark)
  public static class App {
    @Param({"disabled", "enabledNotTraced", "tracedAll"})
    String weft;

    /** Requests per second; 0: as fast as one client thread can. */
    @Param({"200"})
    int rate;

    /** The length of one window (one operation), in seconds. */
    @Param({"20"})
    int seconds;

    /**
     * Seconds of requests sent as fast as one client thread can in the trial's setup, before JMH's
     * warm-up iterations: at one client thread's pace the child's CPU per request settles after
     * some 100,000 requests (the JIT), which would take ten minutes at the fixed rate.
     */
    @Param({"90"})
    int prime;

    /**
     * Where the spans go: {@code file} ({@code file://} into a temporary directory, the default a
     * user has) or {@code redis} ({@code redis://} into a redis-server of its own, OSProfiler's
     * layout, as an OpenStack deployment stores traces).
     */
    @Param({"file"})
    String collector;

    /**
     * {@code weft.queue.linger_millis} of the child, how long its collector thread gathers spans
     * before it stores them; empty: the default.
     */
    @Param({""})
    String linger;

    /**
     * {@code toggled} and {@code tracedToggled}: the pairs of slices a window is cut into. 1: two
     * halves of {@code seconds}/2, the CPU time read from the process; more: {@code slices} pairs
     * of slices of {@code seconds}/(2 × {@code slices}), the sides in the order off, on, on, off,
     * off, on, ..., the CPU time read per slice from each thread's {@code schedstat} (nanoseconds),
     * so that drift over the window falls on both sides alike.
     */
    @Param({"1"})
    int slices;

    EmbeddedServers.Redis redis;
    EmbeddedServers.Redis traceRedis;
    EmbeddedServers.Mongo mongo;
    Process child;
    Path dir;
    Path traces;
    Path log;
    URI base;
    LoopbackClient client;
    List<String> queues = new ArrayList<>();

    long sent;
    long signed;
    long late;

    /** {@code tracedToggled}: whether the requests of the current half are signed. */
    boolean signing;

    /** {@code toggled}: the child's Weft switch, over JMX, and the windows measured so far. */
    javax.management.remote.JMXConnector jmx;

    dev.weft.WeftMXBean switcher;
    int windows;

    @Setup(Level.Trial)
    public void start() throws Exception {
      if (!ChildCpuProfiler.active) {
        throw new IllegalStateException(
            "CpuPerRequest reports its score through -prof dev.weft.benchmarks.ChildCpuProfiler");
      }
      for (String f : new String[] {AGENT_JAR, APP_JAR}) {
        if (!Files.isRegularFile(Path.of(f))) {
          throw new IllegalStateException(f + " is missing: run from the repository root");
        }
      }
      redis = EmbeddedServers.redis();
      mongo = EmbeddedServers.mongo();
      dir = Files.createTempDirectory("weft-cpu-per-request");
      traces = Files.createDirectory(dir.resolve("traces"));
      log = dir.resolve("serve.log");
      int port = EmbeddedServers.freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add("-javaagent:" + AGENT_JAR);
      cmd.add("-Xms512m");
      cmd.add("-Xmx512m");
      cmd.add("-XX:+AlwaysPreTouch");
      cmd.add("-Dweft.enabled=" + !"disabled".equals(weft));
      int jmxPort = 0;
      if (TOGGLED.equals(weft)) {
        jmxPort = EmbeddedServers.freePort();
        cmd.add("-Dcom.sun.management.jmxremote.port=" + jmxPort);
        cmd.add("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort);
        cmd.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
        cmd.add("-Dcom.sun.management.jmxremote.authenticate=false");
        cmd.add("-Dcom.sun.management.jmxremote.ssl=false");
      }
      for (String c : CATEGORIES) {
        cmd.add("-Dweft.trace." + c + "=true");
      }
      cmd.add("-Dweft.hmac_keys=" + KEY);
      cmd.add("-Dweft.max_traces_per_second=0");
      if (!linger.isEmpty()) {
        cmd.add("-Dweft.queue.linger_millis=" + linger);
      }
      if ("redis".equals(collector)) {
        traceRedis = EmbeddedServers.redis();
        cmd.add("-Dweft.connection_string=redis://127.0.0.1:" + traceRedis.port());
      } else {
        check("file".equals(collector), "collector is file or redis, not " + collector);
        cmd.add("-Dweft.connection_string=file://" + traces);
      }
      cmd.add("-jar");
      cmd.add(APP_JAR);
      cmd.add("serve");
      cmd.add("--port");
      cmd.add(Integer.toString(port));
      cmd.add("--db");
      cmd.add("jdbc:h2:mem:cpu-management;DB_CLOSE_DELAY=-1");
      child =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      waitForPort(port);
      base = URI.create("http://127.0.0.1:" + port);
      if (jmxPort != 0) {
        jmx =
            javax.management.remote.JMXConnectorFactory.connect(
                new javax.management.remote.JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
        switcher =
            javax.management.JMX.newMXBeanProxy(
                jmx.getMBeanServerConnection(),
                new javax.management.ObjectName(dev.weft.WeftMXBean.OBJECT_NAME),
                dev.weft.WeftMXBean.class);
        check(switcher.isEnabled(), "the toggled child starts enabled");
      }

      QueueClient setup = new QueueClient(base);
      Map<String, String> pools = new LinkedHashMap<>();
      pools.put("redis", redis.uri());
      pools.put("mongo", mongo.uri("weft_cpu"));
      pools.put("sql", "jdbc:h2:mem:cpu-messages;DB_CLOSE_DELAY=-1");
      for (Map.Entry<String, String> p : pools.entrySet()) {
        ApiResponse r = setup.registerPool(p.getKey(), p.getValue(), 100);
        check(r.ok(), "pool-register " + p.getKey() + ": " + r.summary());
      }
      // Weighted random placement: create queues until each pool holds one.
      Map<String, String> queueOfPool = new LinkedHashMap<>();
      for (int i = 1; queueOfPool.size() < pools.size(); i++) {
        check(i <= 60, "60 queues never covered every pool: " + queueOfPool);
        String name = "cpu-" + i;
        ApiResponse r = setup.createQueue(name, null);
        check(r.status() == 201, "queue-create " + name + ": " + r.summary());
        queueOfPool.putIfAbsent(setup.getQueue(name).header("x-queue-pool"), name);
      }
      for (String p : pools.keySet()) {
        queues.add(queueOfPool.get(p));
      }
      client = new LoopbackClient();
      if (prime > 0) {
        Cycle c = new Cycle();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(prime);
        long n = 0;
        while (System.nanoTime() - until < 0) {
          signing = TRACED_TOGGLED.equals(weft) && (n & 1) == 0; // both paths compiled
          c.next(this);
          n++;
        }
        signing = false;
        System.out.printf("%n  primed with %d requests in %d s%n", n, prime);
      }
    }

    /**
     * One request of the cycle, signed in {@code tracedAll}; fails unless answered {@code status}.
     */
    String send(String method, String path, String body, int status) throws Exception {
      Map<String, String> h = Map.of();
      if ("tracedAll".equals(weft) || signing) {
        h = TraceHeaders.sign(UUID.randomUUID().toString(), null, KEY);
        signed++;
      }
      sent++;
      return client.send(LoopbackClient.request(method, base.resolve(path), h, body), status);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      if (jmx != null) {
        jmx.close();
      }
      try {
        child.destroy(); // SIGTERM: Weft's shutdown hook flushes and logs its counters
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor();
        }
        report();
      } finally {
        redis.close();
        mongo.close();
        if (traceRedis != null) {
          traceRedis.close();
        }
        deleteTree(dir);
      }
    }

    private void report() throws IOException {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Map<String, Long> spans = new TreeMap<>();
      long[] counts = new long[2]; // traces, events
      java.util.function.Consumer<List<String>> count =
          trace -> {
            counts[0]++;
            for (String line : trace) {
              counts[1]++;
              Matcher start = START.matcher(line);
              if (start.find()) {
                spans.merge(start.group(1), 1L, Long::sum);
              }
            }
          };
      if (traceRedis != null) {
        redisTraces(count);
      } else {
        fileTraces(count);
      }
      long files = counts[0];
      long events = counts[1];
      for (String line : text.split("\n")) {
        if (line.contains("enabled=") || line.contains("weft: ")) {
          System.out.println("child: " + line);
        }
      }
      System.out.printf(
          "requests sent in this trial: %d (signed %d), sent later than one interval after their"
              + " slot: %d; traces stored (files or keys) %d, events %d%n",
          sent, signed, late, files, events);
      Matcher m = SHUTDOWN.matcher(text);
      if ("tracedAll".equals(weft) || TRACED_TOGGLED.equals(weft)) {
        check(m.find(), "no shutdown line in the child's log");
        long accepted = Long.parseLong(m.group(2));
        long stored = Long.parseLong(m.group(3));
        boolean none = m.group(1).equals("0") && m.group(4).equals("0") && m.group(5).equals("0");
        System.out.printf(
            "spans accepted %d, stored %d (%.2f a request), none lost: %b%n",
            accepted, stored, (double) stored / signed, none && accepted == stored);
        System.out.println("spans by name: " + spans);
        check(none && accepted == stored, "spans lost: " + m.group());
        check(files == signed, "traces stored " + files + " != signed requests " + signed);
        check(events == 2 * stored, "events " + events + " != 2 x spans stored " + stored);
      } else {
        check(!m.find() && files == 0, "spans recorded in " + weft);
        System.out.println("spans recorded: 0");
      }
    }

    /**
     * Hands the event lines of each trace the file collector stored (one file per trace) to {@code
     * each}, one trace at a time: 200,000 traces of 12 events do not fit the fork's heap at once.
     */
    private void fileTraces(java.util.function.Consumer<List<String>> each) throws IOException {
      try (Stream<Path> s = Files.list(traces)) {
        for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".jsonl"))::iterator) {
          each.accept(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
      }
    }

    /** The same from redis://: OSProfiler's layout, one list osprofiler_opt:<base_id> per trace. */
    private void redisTraces(java.util.function.Consumer<List<String>> each) {
      try (redis.clients.jedis.Jedis j =
          new redis.clients.jedis.Jedis("127.0.0.1", traceRedis.port())) {
        for (String key : j.keys("osprofiler_opt:*")) {
          each.accept(j.lrange(key, 0, -1));
        }
      }
    }

    private void waitForPort(int port) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        if (!child.isAlive()) {
          throw new IOException(
              "serve exited with "
                  + child.exitValue()
                  + ": "
                  + Files.readString(log, StandardCharsets.UTF_8));
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
          return;
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      throw new IOException("serve did not listen on " + port + " within 120 s");
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /**
   * One window: requests on the fixed schedule for {@code seconds} s, the child's CPU time read
   * before and after. Returns the requests answered.
   */
  @Benchmark
  public long window(App app) throws Exception {
    if (TOGGLED.equals(app.weft)) {
      return app.slices > 1
          ? pairedSlices(app, CpuPerRequest::switchWeft, "off", "on")
          : pairedHalves(app, CpuPerRequest::switchWeft, "off", "on");
    }
    if (TRACED_TOGGLED.equals(app.weft)) {
      Side signing = (a, signed) -> a.signing = signed;
      return app.slices > 1
          ? pairedSlices(app, signing, "unsigned", "signed")
          : pairedHalves(app, signing, "unsigned", "signed");
    }
    ChildCpuProfiler.last = measure(app, TimeUnit.SECONDS.toNanos(app.seconds));
    return ChildCpuProfiler.last.requests();
  }

  /** What one half of a paired window changes: Weft on or off, requests signed or not. */
  interface Side {
    void set(App app, boolean on) throws Exception;
  }

  /**
   * Two halves of {@code seconds}/2, off and on, in alternating order (drift within a window falls
   * on both); the on half's result is paired with the off half's. Ends with the on side set.
   */
  private static long pairedHalves(App app, Side side, String offName, String onName)
      throws Exception {
    long half = TimeUnit.SECONDS.toNanos(app.seconds) / 2;
    boolean offFirst = app.windows++ % 2 == 0;
    ChildCpuProfiler.Window first = half(app, side, !offFirst, offFirst ? offName : onName, half);
    ChildCpuProfiler.Window second = half(app, side, offFirst, offFirst ? onName : offName, half);
    side.set(app, true);
    ChildCpuProfiler.Window off = offFirst ? first : second;
    ChildCpuProfiler.Window on = offFirst ? second : first;
    ChildCpuProfiler.last = on.pairedWith(off);
    printPair(offName, off, onName, on);
    return first.requests() + second.requests();
  }

  /**
   * {@code slices} pairs of short slices, off and on in the order off, on, on, off, ... (the
   * reverse in every other window), each slice's CPU time read per thread from {@code schedstat}.
   * The CPU of Weft's own threads ({@code weft-*}: the collector thread) goes to the on side
   * whichever slice it fell in: a traced slice's last spans are stored in the slice after it.
   */
  private static long pairedSlices(App app, Side side, String offName, String onName)
      throws Exception {
    long length = TimeUnit.SECONDS.toNanos(app.seconds) / (2L * app.slices);
    boolean offFirst = app.windows++ % 2 == 0;
    long pid = app.child.pid();
    long[] requests = new long[2];
    long[] wall = new long[2];
    List<Map<String, Long>> groups = List.of(new TreeMap<>(), new TreeMap<>());
    for (int i = 0; i < 2 * app.slices; i++) {
      boolean on = (((i + 1) / 2) % 2 == 1) == offFirst;
      side.set(app, on);
      var threads0 = ThreadCpu.snapshot(pid);
      long t0 = System.nanoTime();
      long n = run(app, length);
      long w = System.nanoTime() - t0;
      var threads1 = ThreadCpu.snapshot(pid);
      Map<String, Long> used = ThreadCpu.nanosByGroup(threads0, threads1);
      check(!used.isEmpty(), "slices need /proc/<pid>/task/*/schedstat");
      int k = on ? 1 : 0;
      requests[k] += n;
      wall[k] += w;
      for (Map.Entry<String, Long> e : used.entrySet()) {
        groups
            .get(e.getKey().startsWith("weft-") ? 1 : k)
            .merge(e.getKey(), e.getValue(), Long::sum);
      }
    }
    side.set(app, true);
    ChildCpuProfiler.Window off = sliced(requests[0], wall[0], groups.get(0));
    ChildCpuProfiler.Window on = sliced(requests[1], wall[1], groups.get(1));
    System.out.printf(
        "  %d slices of %d ms: %s %d requests, %s %d%n  %s by thread (us/request): %s%n"
            + "  %s by thread (us/request): %s%n",
        2 * app.slices,
        TimeUnit.NANOSECONDS.toMillis(length),
        offName,
        requests[0],
        onName,
        requests[1],
        offName,
        ThreadCpu.perRequest(groups.get(0), requests[0]),
        onName,
        ThreadCpu.perRequest(groups.get(1), requests[1]));
    ChildCpuProfiler.last = on.pairedWith(off);
    printPair(offName, off, onName, on);
    return requests[0] + requests[1];
  }

  private static ChildCpuProfiler.Window sliced(
      long requests, long wall, Map<String, Long> groups) {
    long all = 0;
    long noJit = 0;
    for (Map.Entry<String, Long> e : groups.entrySet()) {
      all += e.getValue();
      noJit += ThreadCpu.JIT.contains(e.getKey()) ? 0 : e.getValue();
    }
    return new ChildCpuProfiler.Window(requests, all, wall, noJit, null);
  }

  /** The two sides of a window and their ratio, with and without the JIT's threads. */
  private static void printPair(
      String offName, ChildCpuProfiler.Window off, String onName, ChildCpuProfiler.Window on) {
    System.out.printf(
        "  %s %.1f, %s %.1f us/request: %s/%s %.4f; without the JIT's threads %.1f, %.1f: %.4f%n",
        offName,
        off.perRequest(),
        onName,
        on.perRequest(),
        onName,
        offName,
        on.perRequest() / off.perRequest(),
        off.noJitPerRequest(),
        on.noJitPerRequest(),
        on.noJitPerRequest() / off.noJitPerRequest());
  }

  private static ChildCpuProfiler.Window half(
      App app, Side side, boolean on, String name, long nanos) throws Exception {
    side.set(app, on);
    System.out.print("  " + name + ":");
    return measure(app, nanos);
  }

  /** {@code toggled}'s side: Weft switched at run time over JMX, as an operator does. */
  private static void switchWeft(App app, boolean enabled) throws Exception {
    app.switcher.setEnabled(enabled);
    check(app.switcher.isEnabled() == enabled, "weft.enabled is now " + enabled);
  }

  /**
   * Requests on the fixed schedule for {@code length} ns, the child's CPU time read before and
   * after.
   */
  private static ChildCpuProfiler.Window measure(App app, long length) throws Exception {
    ProcessHandle child = app.child.toHandle();
    var threads0 = ThreadCpu.snapshot(child.pid());
    long cpu0 = cpuNanos(child);
    long t0 = System.nanoTime();
    long requests = run(app, length);
    long wall = System.nanoTime() - t0;
    long cpu = cpuNanos(child) - cpu0;
    var threads1 = ThreadCpu.snapshot(child.pid());
    System.out.printf(
        "  %d requests in %.2f s (%.1f/s), child CPU %d ms: %.1f us/request%n",
        requests, wall / 1e9, requests * 1e9 / wall, cpu / 1_000_000, cpu / 1000.0 / requests);
    if (!threads1.isEmpty()) {
      System.out.println(
          "  by thread (us/request): " + ThreadCpu.perRequest(threads0, threads1, requests));
    }
    return new ChildCpuProfiler.Window(
        requests, cpu, wall, ThreadCpu.nanosWithout(threads0, threads1, ThreadCpu.JIT), null);
  }

  /**
   * Requests on the fixed schedule for {@code length} ns, from a cycle's start; returns how many.
   */
  private static long run(App app, long length) throws Exception {
    long interval = app.rate > 0 ? TimeUnit.SECONDS.toNanos(1) / app.rate : 0;
    long requests = 0;
    long t0 = System.nanoTime();
    long next = t0;
    Cycle cycle = new Cycle();
    while (next - t0 < length) {
      if (interval > 0) {
        long wait = next - System.nanoTime();
        if (wait < -interval) {
          app.late++;
        }
        while (wait > 0) {
          LockSupport.parkNanos(wait);
          wait = next - System.nanoTime();
        }
      }
      cycle.next(app);
      requests++;
      next = interval > 0 ? next + interval : System.nanoTime();
    }
    return requests;
  }

  /** The request cycle: for each queue post a message, get it, delete it; then list the pools. */
  static final class Cycle {
    private int queue;
    private int step;
    private String message;

    /** Sends the cycle's next request and checks its answer. */
    void next(App app) throws Exception {
      if (queue == app.queues.size()) {
        app.send("GET", "/v2/pools", null, 200);
        queue = 0;
        return;
      }
      String messages = "/v2/queues/" + app.queues.get(queue) + "/messages";
      if (step == 0) {
        String body = app.send("POST", messages, MESSAGE, 201);
        int end = body.lastIndexOf('"');
        message = body.substring(body.lastIndexOf('/', end) + 1, end);
        step = 1;
      } else if (step == 1) {
        app.send("GET", messages + "/" + message, null, 200);
        step = 2;
      } else {
        app.send("DELETE", messages + "/" + message, null, 204);
        step = 0;
        queue++;
      }
    }
  }

  static long cpuNanos(ProcessHandle p) {
    return p.info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + p.pid()));
  }
}
