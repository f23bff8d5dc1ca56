package dev.weft.testapp.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.demo.EmbeddedServers;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;

/**
 * Faults under load: the queue API at a steady request rate, signed (traced) and unsigned requests
 * mixed, while the trace collector (redis://, a real redis-server) is killed and restarted, then
 * made slow ({@code CLIENT PAUSE}) so that Weft's small queue fills, and then the Redis server that
 * one of the application's message pools uses is stopped and restarted.
 *
 * <p>Checks, printed and turned into the exit status:
 *
 * <ul>
 *   <li>every request answers as the application answers without Weft: success, except requests to
 *       the Redis pool's queues while that server is down (and for a short grace after it is back),
 *       which get the application's own error (the status and title it gives with Weft off);
 *   <li>the heap after a full GC stays below a bound;
 *   <li>no span lands in a wrong trace: every stored trace is one this run signed, each servlet
 *       span has the parent id and path of its own request, and no parent link crosses traces;
 *   <li>the counters add up: signed requests = traces started + rate-limited; spans accepted =
 *       stored + dropped by the collector after the final flush; events in the collector = 2 ×
 *       stored; shutdown of the pipeline (what the JVM shutdown hook runs) leaves nothing queued.
 * </ul>
 *
 * <p>Run: {@code java -javaagent:test-app/target/aspectjweaver.jar -jar
 * test-app/target/weft-test-app.jar soak [--seconds 60] [--rate 40]}. Weft must not have been
 * initialised before {@link #run} (it sets the queue capacity, read once at start-up).
 */
public final class Soak {
  static final String KEY = "soak-key";
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the run is asked to do. */
  public record Settings(
      int seconds, int rate, int queueCapacity, int maxTracesPerSecond, long heapBoundMb) {
    public static Settings defaults() {
      return new Settings(60, 40, 64, 15, 256);
    }
  }

  /** One request: what was sent and what came back. */
  record Outcome(
      long seq,
      String op,
      String queue,
      String pool,
      String base,
      String parent,
      String path,
      long sentNanos,
      long doneNanos,
      int status,
      String title) {}

  private final Settings settings;
  private final PrintStream out;
  private final List<String> failures = new ArrayList<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();

  public Soak(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** The figures of the last run (after {@link #run}). */
  public Map<String, Object> figures() {
    return figures;
  }

  /** Runs the soak; returns 0 when every check holds, 1 otherwise. */
  public int run() throws Exception {
    Path dir = Files.createTempDirectory("weft-soak");
    int collectorPort = freePort();
    int appRedisPort = freePort();
    RedisServer collector = collectorRedis(collectorPort, dir);
    collector.start();
    RedisServer appRedis = appRedis(appRedisPort);
    appRedis.start();

    System.setProperty("weft.enabled", "true");
    System.setProperty("weft.hmac_keys", KEY);
    System.setProperty("weft.connection_string", "redis://127.0.0.1:" + collectorPort + "/0");
    System.setProperty("weft.queue.capacity", String.valueOf(settings.queueCapacity()));
    System.setProperty("weft.queue.batch_size", "64");
    System.setProperty("weft.max_traces_per_second", String.valueOf(settings.maxTracesPerSecond()));
    System.setProperty("weft.flush_timeout_millis", "15000");
    for (String c : new String[] {"mongodb", "redis", "sql", "pooling", "servlet", "annotated"}) {
      System.setProperty("weft.trace." + c, "true");
    }
    if (System.getProperty("weft.service") == null) {
      System.setProperty("weft.service", "soak-api");
    }
    Weft.init();
    out.println(Weft.describe());

    EmbeddedServers.Mongo mongo = EmbeddedServers.mongo();
    ApiService api =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl(
                    "jdbc:h2:mem:soak-mgmt-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = api.baseUri().toString();
    Map<String, String> pools = new LinkedHashMap<>();
    pools.put("mongo", mongo.uri("soak"));
    pools.put("redis", "redis://127.0.0.1:" + appRedisPort + "/0");
    pools.put("sql", "jdbc:h2:mem:soak-msg-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    List<String[]> queues = new ArrayList<>(); // {queue, pool}
    for (String pool : pools.keySet()) {
      for (Map.Entry<String, String> p : pools.entrySet()) {
        int w = p.getKey().equals(pool) ? 1 : 0;
        expect(
            send(http, "PUT", base + "/v2/pools/" + p.getKey(), body(p.getValue(), w), Map.of()),
            201,
            204);
      }
      for (int i = 0; i < 2; i++) {
        String q = "soak-" + pool + "-" + i;
        expect(send(http, "PUT", base + "/v2/queues/" + q, null, Map.of()), 201);
        queues.add(new String[] {q, pool});
      }
    }

    // The application's own error for a request to a queue whose Redis server is down, with Weft
    // off: what the outage must look like with Weft on.
    Weft.set("weft.enabled", "false");
    appRedis.stop();
    HttpResponse<String> baseline =
        send(http, "POST", base + "/v2/queues/soak-redis-0/messages", message(0), Map.of());
    appRedis = appRedis(appRedisPort);
    appRedis.start();
    Weft.set("weft.enabled", null);
    int baselineStatus = baseline.statusCode();
    String baselineTitle = title(baseline.body());
    out.printf("baseline (weft off, redis pool down): %d %s%n", baselineStatus, baselineTitle);
    waitForRedisPool(http, base);

    dev.weft.WeftMXBean weft = dev.weft.Weft.management();
    long startedBefore = weft.getTracesStarted();
    long limitedBefore = weft.getTracesRateLimited();

    // Load.
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(8);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger seq = new AtomicInteger();
    String[] ops = {"post", "list", "get", "post", "ping", "list"};
    long periodMicros = 1_000_000L / settings.rate();
    ticker.scheduleAtFixedRate(
        () -> {
          int i = seq.getAndIncrement();
          workers.execute(() -> outcomes.add(request(http, base, i, ops, queues)));
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);

    long t0 = System.nanoTime();
    long d = settings.seconds() * 1000L;
    long[] heapMb = {0};
    ScheduledExecutorService heap = Executors.newSingleThreadScheduledExecutor();
    heap.scheduleAtFixedRate(
        () -> {
          System.gc();
          long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
          synchronized (heapMb) {
            heapMb[0] = Math.max(heapMb[0], used);
          }
        },
        1,
        Math.max(1, settings.seconds() / 10),
        TimeUnit.SECONDS);

    // Recovery: how long after a fault ends until the collector stores again.
    List<long[]> samples = new ArrayList<>(); // {nanos, spans stored}
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          synchronized (samples) {
            samples.add(new long[] {System.nanoTime(), weft.getSpansStored()});
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
    Map<String, Long> faultEnds = new LinkedHashMap<>();

    sleepUntil(t0, d * 10 / 100);
    collector.stop();
    out.printf("t=%ds collector redis killed%n", secondsSince(t0));
    sleepUntil(t0, d * 20 / 100);
    collector = collectorRedis(collectorPort, dir);
    collector.start();
    faultEnds.put("killed", System.nanoTime());
    out.printf("t=%ds collector redis restarted%n", secondsSince(t0));

    sleepUntil(t0, d * 25 / 100);
    long pauseMillis = d * 10 / 100;
    try (Jedis j = new Jedis("127.0.0.1", collectorPort)) {
      j.clientPause(pauseMillis);
    }
    long pauseStart = System.nanoTime();
    out.printf("t=%ds collector paused for %d ms%n", secondsSince(t0), pauseMillis);
    sleepUntil(t0, d * 35 / 100);
    faultEnds.put("slow", pauseStart + TimeUnit.MILLISECONDS.toNanos(pauseMillis));
    int queueAfterPause = weft.getQueueSize();

    sleepUntil(t0, d * 40 / 100);
    collector.stop();
    BlackHole hole = new BlackHole(collectorPort);
    out.printf("t=%ds collector port black-holed (accepts, never answers)%n", secondsSince(t0));
    sleepUntil(t0, d * 50 / 100);
    hole.close();
    collector = collectorRedis(collectorPort, dir);
    collector.start();
    faultEnds.put("black_holed", System.nanoTime());
    out.printf("t=%ds black hole closed, collector redis restarted%n", secondsSince(t0));

    sleepUntil(t0, d * 55 / 100);
    DiskFull disk = DiskFull.mount(dir.resolve("tmpfs"), out);
    long diskDrops = 0;
    if (disk != null) {
      disk.fill();
      long dropsBefore = weft.getSpansDroppedCollectorError();
      Weft.set("weft.connection_string", "file://" + disk.dir);
      out.printf("t=%ds collector switched to file:// on a full disk%n", secondsSince(t0));
      sleepUntil(t0, d * 65 / 100);
      diskDrops = weft.getSpansDroppedCollectorError() - dropsBefore;
      disk.free();
      faultEnds.put("disk_full", System.nanoTime());
      out.printf("t=%ds disk space freed%n", secondsSince(t0));
      sleepUntil(t0, d * 70 / 100);
      Weft.set("weft.connection_string", "redis://127.0.0.1:" + collectorPort + "/0");
      out.printf("t=%ds collector switched back to redis://%n", secondsSince(t0));
    }

    sleepUntil(t0, d * 72 / 100);
    long c0 = System.nanoTime();
    appRedis.stop();
    out.printf("t=%ds application redis (pool 'redis') stopped%n", secondsSince(t0));
    sleepUntil(t0, d * 85 / 100);
    appRedis = appRedis(appRedisPort);
    appRedis.start();
    long c1 = System.nanoTime();
    out.printf("t=%ds application redis restarted%n", secondsSince(t0));

    sleepUntil(t0, d);
    ticker.shutdown();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    workers.shutdown();
    workers.awaitTermination(60, TimeUnit.SECONDS);
    heap.shutdownNow();
    sampler.shutdownNow();

    // A request's servlet span ends just after its answer reaches the client: wait until the
    // application threads have ended every span (the accepted count stays still for 500 ms).
    long lastAccepted = -1;
    for (int i = 0;
        i < 100 && weft.getSpansAccepted() + weft.getSpansDroppedQueueFull() != lastAccepted;
        i++) {
      lastAccepted = weft.getSpansAccepted() + weft.getSpansDroppedQueueFull();
      Thread.sleep(500);
    }

    // Final flush and counters.
    boolean flushed = Weft.flush();
    long accepted = weft.getSpansAccepted();
    long stored = weft.getSpansStored();
    long droppedFull = weft.getSpansDroppedQueueFull();
    long droppedCollector = weft.getSpansDroppedCollectorError();
    long started = weft.getTracesStarted() - startedBefore;
    long limited = weft.getTracesRateLimited() - limitedBefore;

    // Requests: success, or the application's own error for the Redis pool during its outage.
    long grace = TimeUnit.SECONDS.toNanos(3);
    int sent = 0;
    int ok = 0;
    int outageErrors = 0;
    int signed = 0;
    Map<String, Outcome> byBase = new HashMap<>();
    for (Outcome o : outcomes) {
      sent++;
      if (o.base() != null) {
        signed++;
        byBase.put(o.base(), o);
      }
      int success = o.op().equals("post") ? 201 : o.op().equals("ping") ? 204 : 200;
      boolean inOutage =
          "redis".equals(o.pool()) && o.doneNanos() >= c0 && o.sentNanos() <= c1 + grace;
      if (o.status() == success) {
        ok++;
      } else if (inOutage && o.status() == baselineStatus && baselineTitle.equals(o.title())) {
        outageErrors++;
      } else {
        failures.add("request " + o + " answered " + o.status() + " " + o.title());
      }
    }

    // Traces in the collector.
    Map<String, List<JsonNode>> traces = readTraces(collectorPort);
    long eventsStored = 0;
    Map<String, String> ownerOfSpan = new HashMap<>();
    for (Map.Entry<String, List<JsonNode>> t : traces.entrySet()) {
      eventsStored += t.getValue().size();
      for (JsonNode e : t.getValue()) {
        String prev = ownerOfSpan.putIfAbsent(e.path("trace_id").asText(), t.getKey());
        if (prev != null && !prev.equals(t.getKey())) {
          failures.add("span " + e.path("trace_id").asText() + " in traces " + prev + " and " + t);
        }
      }
    }
    int wrongTrace = 0;
    int unresolvedParents = 0;
    int servletSpans = 0;
    int tracesWithoutServletSpan = 0;
    for (Map.Entry<String, List<JsonNode>> t : traces.entrySet()) {
      int servletsHere = 0;
      Outcome o = byBase.get(t.getKey());
      if (o == null) {
        failures.add("a trace this run did not sign: " + t.getKey());
        continue;
      }
      for (JsonNode e : t.getValue()) {
        if (!t.getKey().equals(e.path("base_id").asText())) {
          wrongTrace++;
        }
        String parent = e.path("parent_id").asText();
        if (e.path("name").asText().equals("wsgi-start")) {
          servletSpans++;
          servletsHere++;
          if (!parent.equals(o.parent())
              || !e.path("info").path("request").path("path").asText().equals(o.path())) {
            wrongTrace++;
            failures.add("servlet span of " + o + ": " + e);
          }
        } else if (!parent.equals(o.parent())) {
          String owner = ownerOfSpan.get(parent);
          if (owner == null) {
            unresolvedParents++;
          } else if (!owner.equals(t.getKey())) {
            wrongTrace++;
            failures.add("parent link across traces: " + e);
          }
        }
      }
      if (servletsHere > 1) {
        failures.add("trace " + t.getKey() + " holds " + servletsHere + " servlet spans");
      } else if (servletsHere == 0) {
        tracesWithoutServletSpan++; // its servlet span was dropped
      }
    }

    // Spans the file collector stored on the disk that filled up, and lines torn by it.
    long fileEvents = 0;
    long tornLines = 0;
    if (disk != null) {
      long[] counted = disk.countEvents(byBase.keySet());
      fileEvents = counted[0];
      tornLines = counted[1];
      check(counted[2] == 0, counted[2] + " events of traces this run did not sign in the files");
      disk.unmount();
    }
    for (Map.Entry<String, Long> f : faultEnds.entrySet()) {
      long recovery = recoveryMillis(samples, f.getValue());
      figures.put("recovery_ms_after_" + f.getKey(), recovery);
      check(recovery >= 0, "the collector stored again after " + f.getKey());
    }

    // What the JVM shutdown hook runs: flush within the bound, stop, close the collector.
    boolean shutdownFlushed = dev.weft.Weft.shutdown(15_000);
    long storedAfterShutdown = weft.getSpansStored();
    int queuedAfterShutdown = weft.getQueueSize();

    api.close();
    mongo.close();
    appRedis.stop();
    new Sigterm(collectorPort, false, out).run(figures, failures);
    new Sigterm(collectorPort, true, out).run(figures, failures);
    collector.stop();

    check(flushed, "final flush within its bound");
    check(signed == started + limited, "signed " + signed + " = started + rate-limited");
    check(
        accepted == stored + droppedCollector,
        "accepted "
            + accepted
            + " = stored "
            + stored
            + " + dropped by collector "
            + droppedCollector);
    check(
        eventsStored + fileEvents == 2 * stored,
        "events in the collectors "
            + eventsStored
            + " (redis) + "
            + fileEvents
            + " (file) = 2 x stored "
            + stored);
    check(tornLines == 0, "no torn line in the files written while the disk was full");
    if (disk != null) {
      check(diskDrops > 0, "the full disk refused spans (" + diskDrops + " dropped)");
    }
    check(droppedFull > 0, "the slow collector filled the queue (queue-full drops > 0)");
    check(droppedCollector > 0, "the killed collector dropped spans (collector drops > 0)");
    check(outageErrors > 0, "requests to the failed pool failed during its outage");
    check(heapMb[0] <= settings.heapBoundMb(), "heap after GC " + heapMb[0] + " MB <= bound");
    check(wrongTrace == 0, "no span in a wrong trace");
    check(
        servletSpans + tracesWithoutServletSpan == traces.size(),
        "at most one servlet span per stored trace");
    check(shutdownFlushed && queuedAfterShutdown == 0, "shutdown flushed the queue");
    check(storedAfterShutdown == stored, "nothing left to store at shutdown after the final flush");

    check(
        weft.getQueueCapacity()
                == Integer.highestOneBit(Math.max(1, settings.queueCapacity() - 1)) << 1
            || weft.getQueueCapacity() == settings.queueCapacity(),
        "queue capacity " + weft.getQueueCapacity() + " as configured");
    figures.put("seconds", settings.seconds());
    figures.put("queue_capacity", weft.getQueueCapacity());
    figures.put("rate_per_second", settings.rate());
    figures.put("requests_sent", sent);
    figures.put("requests_succeeded", ok);
    figures.put("requests_failed_outage", outageErrors);
    figures.put("requests_failed_unexpectedly", sent - ok - outageErrors);
    figures.put("signed_requests", signed);
    figures.put("traces_started", started);
    figures.put("traces_rate_limited", limited);
    figures.put("traces_in_collector", traces.size());
    figures.put("spans_accepted", accepted);
    figures.put("spans_stored", stored);
    figures.put("spans_dropped_collector", droppedCollector);
    figures.put("spans_dropped_queue_full", droppedFull);
    figures.put("queue_after_pause", queueAfterPause);
    figures.put("events_in_collector", eventsStored + fileEvents);
    figures.put("events_in_file_collector", fileEvents);
    figures.put("torn_lines", tornLines);
    figures.put("spans_dropped_disk_full", diskDrops);
    figures.put("disk_full_phase", disk == null ? "skipped (no tmpfs could be mounted)" : "ran");
    figures.put("long_id_traces_in_collector", longIdTraces(traces.keySet(), byBase.keySet()));
    figures.put("spans_offered", accepted + droppedFull);
    figures.put("parent_links_to_dropped_spans", unresolvedParents);
    figures.put("traces_whose_servlet_span_was_dropped", tracesWithoutServletSpan);
    figures.put("spans_in_wrong_trace", wrongTrace);
    figures.put("max_heap_after_gc_mb", heapMb[0]);
    figures.put("baseline_error", baselineStatus + " " + baselineTitle);
    figures.forEach((k, v) -> out.println("soak " + k + " = " + v));
    for (String f : failures) {
      out.println("FAILED: " + f);
    }
    out.println(
        failures.isEmpty() ? "soak: all checks passed" : "soak: " + failures.size() + " failed");
    return failures.isEmpty() ? 0 : 1;
  }

  private void check(boolean ok, String what) {
    if (!ok) {
      failures.add(what);
    }
  }

  private static Outcome request(
      HttpClient http, String base, int i, String[] ops, List<String[]> queues) {
    String op = ops[i % ops.length];
    String[] q = queues.get((i / ops.length) % queues.size());
    boolean traced = i % 2 == 0;
    String baseId =
        !traced ? null : i % 20 == 4 ? longId(UUID.randomUUID()) : UUID.randomUUID().toString();
    String parent = traced ? "soak-parent-" + i : null;
    Map<String, String> headers =
        traced ? TraceHeaders.sign(baseId, parent, KEY) : Map.<String, String>of();
    String path;
    String method = "GET";
    String body = null;
    switch (op) {
      case "post":
        path = "/v2/queues/" + q[0] + "/messages";
        method = "POST";
        body = message(i);
        break;
      case "list":
        path = "/v2/queues/" + q[0] + "/messages";
        break;
      case "get":
        path = "/v2/queues/" + q[0];
        break;
      default:
        path = "/v2/ping";
        q = new String[] {null, null};
    }
    long t = System.nanoTime();
    int status;
    String title;
    try {
      HttpResponse<String> r =
          send(http, method, base + path + (op.equals("list") ? "?limit=5" : ""), body, headers);
      status = r.statusCode();
      title = status >= 400 ? title(r.body()) : "";
    } catch (Exception e) {
      status = -1;
      title = e.toString();
    }
    return new Outcome(
        i, op, q[0], q[1], baseId, parent, path, t, System.nanoTime(), status, title);
  }

  /** A base id as long as one the real OSProfiler traces (1,605 characters). */
  static String longId(UUID u) {
    StringBuilder b = new StringBuilder(u.toString());
    while (b.length() < LONG_ID_LENGTH) {
      b.append('-').append(u.toString(), 0, 8);
    }
    b.setLength(LONG_ID_LENGTH);
    return b.toString();
  }

  static final int LONG_ID_LENGTH = 1605;

  private static long longIdTraces(java.util.Set<String> stored, java.util.Set<String> signed) {
    return stored.stream().filter(b -> b.length() == LONG_ID_LENGTH && signed.contains(b)).count();
  }

  /**
   * Milliseconds from {@code fromNanos} to the first sample whose stored count is above the count
   * at {@code fromNanos}; -1 when the run ended first.
   */
  static long recoveryMillis(List<long[]> samples, long fromNanos) {
    synchronized (samples) {
      long base = -1;
      for (long[] sample : samples) {
        if (sample[0] <= fromNanos) {
          base = sample[1];
        } else if (base >= 0 && sample[1] > base) {
          return TimeUnit.NANOSECONDS.toMillis(sample[0] - fromNanos);
        }
      }
      return -1;
    }
  }

  static HttpResponse<String> send(
      HttpClient http, String method, String url, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, int... statuses) {
    for (int s : statuses) {
      if (r.statusCode() == s) {
        return;
      }
    }
    throw new IllegalStateException("set-up request answered " + r.statusCode() + " " + r.body());
  }

  private static String body(String uri, int weight) {
    return JSON.createObjectNode().put("uri", uri).put("weight", weight).toString();
  }

  private static String message(int i) {
    return "{\"messages\": [{\"body\": {\"n\": " + i + "}, \"ttl\": 300}]}";
  }

  private static String title(String body) {
    try {
      return JSON.readTree(body).path("title").asText();
    } catch (IOException e) {
      return "(not JSON) " + body;
    }
  }

  private static void waitForRedisPool(HttpClient http, String base) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (send(http, "GET", base + "/v2/queues/soak-redis-0/messages", null, Map.of()).statusCode()
          == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the redis pool did not come back");
  }

  private static Map<String, List<JsonNode>> readTraces(int port) throws IOException {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> r =
            j.scan(cursor, new ScanParams().match("osprofiler_opt:*").count(500));
        for (String key : r.getResult()) {
          List<JsonNode> events = new ArrayList<>();
          for (String e : j.lrange(key, 0, -1)) {
            events.add(JSON.readTree(e));
          }
          out.put(key.substring("osprofiler_opt:".length()), events);
        }
        cursor = r.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return out;
  }

  private static RedisServer collectorRedis(int port, Path dir) throws IOException {
    // Append-only with fsync on every write: what the collector stored survives the kill.
    return RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(port)
        .setting("save \"\"")
        .setting("appendonly yes")
        .setting("appendfsync always")
        .setting("dir " + dir)
        .soutListener(line -> {})
        .serrListener(line -> {})
        .build();
  }

  private static RedisServer appRedis(int port) throws IOException {
    return RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(port)
        .setting("save \"\"")
        .setting("appendonly no")
        .soutListener(line -> {})
        .serrListener(line -> {})
        .build();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleepUntil(long t0, long millis) throws InterruptedException {
    long left = t0 + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static long secondsSince(long t0) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
  }
}
