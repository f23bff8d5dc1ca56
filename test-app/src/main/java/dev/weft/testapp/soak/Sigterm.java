package dev.weft.testapp.soak;

import dev.weft.TraceHeaders;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * The application SIGTERMed under traced load: the queue API ({@code serve}) in a JVM of its own,
 * storing into the soak's collector (Redis database 1), gets signed requests from four threads and
 * a SIGTERM in the middle of them. Weft's shutdown hook must end within {@code
 * weft.flush_timeout_millis}, store what was queued and log one line whose counters add up; the
 * collector must hold exactly the spans that line says were stored.
 */
final class Sigterm {
  static final long FLUSH_BOUND_MILLIS = 5000;
  private static final Pattern LINE =
      Pattern.compile(
          "weft: shutdown stored (\\d+) spans, left (\\d+) unstored \\(bound (\\d+) ms\\); since"
              + " start (\\d+) accepted = (\\d+) stored \\+ (\\d+) dropped by the collector \\+"
              + " (\\d+) unstored, (\\d+) refused by the full queue");

  private final int collectorPort;
  private final boolean blackHoled;
  private final String prefix;
  private final PrintStream out;

  /**
   * With {@code blackHoled}, the service's collector is a listener that never answers: the shutdown
   * must still end within its bound, counting what it could not store.
   */
  Sigterm(int collectorPort, boolean blackHoled, PrintStream out) {
    this.collectorPort = collectorPort;
    this.blackHoled = blackHoled;
    this.prefix = blackHoled ? "sigterm_black_holed_" : "sigterm_";
    this.out = out;
  }

  void run(Map<String, Object> figures, List<String> failures) throws Exception {
    Path jar = Path.of(Soak.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!jar.toString().endsWith(".jar")) {
      figures.put(prefix + "phase", "skipped (not run from the packaged jar)");
      return;
    }
    BlackHole hole = null;
    int target = collectorPort;
    if (blackHoled) {
      target = Soak.freePort();
      hole = new BlackHole(target);
    }
    int port = Soak.freePort();
    Path log = Files.createTempFile("weft-soak-sigterm", ".log");
    Process app =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-Dweft.enabled=true",
                "-Dweft.hmac_keys=" + Soak.KEY,
                "-Dweft.connection_string=redis://127.0.0.1:" + target + "/1",
                "-Dweft.max_traces_per_second=0",
                "-Dweft.flush_timeout_millis=" + FLUSH_BOUND_MILLIS,
                "-Dweft.service=soak-sigterm",
                "-jar",
                jar.toString(),
                "serve",
                "--port",
                Integer.toString(port),
                "--db",
                "jdbc:h2:mem:soak-sigterm;DB_CLOSE_DELAY=-1")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      waitForPort(port, app);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      AtomicInteger beforeOk = new AtomicInteger();
      AtomicInteger beforeFailed = new AtomicInteger();
      AtomicInteger cutOff = new AtomicInteger();
      AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
      ExecutorService load = Executors.newFixedThreadPool(4);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (int t = 0; t < 4; t++) {
        int thread = t;
        load.execute(
            () -> {
              for (int i = 0; System.nanoTime() < until; i++) {
                String path = i % 2 == 0 ? "/v2/ping" : "/v2/queues";
                Map<String, String> h =
                    TraceHeaders.sign(
                        UUID.randomUUID().toString(), "sig-" + thread + "-" + i, Soak.KEY);
                long sent = System.nanoTime();
                int status;
                try {
                  HttpResponse<String> r =
                      Soak.send(http, "GET", "http://127.0.0.1:" + port + path, null, h);
                  status = r.statusCode();
                } catch (Exception e) {
                  status = -1;
                }
                boolean ok = status == 204 || status == 200;
                if (sent < sigtermAt.get()) {
                  if (ok) {
                    beforeOk.incrementAndGet();
                  } else if (app.isAlive() && sigtermAt.get() == Long.MAX_VALUE) {
                    beforeFailed.incrementAndGet();
                  } else {
                    cutOff.incrementAndGet(); // in flight when the SIGTERM came
                  }
                } else if (!ok) {
                  cutOff.incrementAndGet();
                }
              }
            });
      }
      Thread.sleep(3000);
      sigtermAt.set(System.nanoTime());
      app.destroy(); // SIGTERM
      boolean exited = app.waitFor(FLUSH_BOUND_MILLIS + 15_000, TimeUnit.MILLISECONDS);
      long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt.get());
      load.shutdown();
      load.awaitTermination(30, TimeUnit.SECONDS);
      if (!exited) {
        app.destroyForcibly().waitFor();
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = LINE.matcher(text);
      long events;
      try (Jedis j = new Jedis("127.0.0.1", collectorPort)) { // the real collector
        j.select(1);
        events = 0;
        for (String key : j.keys("osprofiler_opt:*")) {
          events += j.llen(key);
        }
        j.flushDB();
      }
      figures.put(prefix + "requests_answered_before", beforeOk.get());
      figures.put(prefix + "requests_failed_before", beforeFailed.get());
      figures.put(prefix + "requests_refused_after_or_cut_off", cutOff.get());
      figures.put(prefix + "exit_ms", exitMillis);
      figures.put(prefix + "events_in_collector", events);
      if (!m.find()) {
        failures.add("no shutdown line in the SIGTERMed service's log:\n" + text);
        return;
      }
      long storedDuring = Long.parseLong(m.group(1));
      long left = Long.parseLong(m.group(2));
      long accepted = Long.parseLong(m.group(4));
      long stored = Long.parseLong(m.group(5));
      long dropped = Long.parseLong(m.group(6));
      long unstored = Long.parseLong(m.group(7));
      figures.put(prefix + "spans_accepted", accepted);
      figures.put(prefix + "spans_stored", stored);
      figures.put(prefix + "spans_stored_during_shutdown", storedDuring);
      figures.put(prefix + "spans_dropped_collector", dropped);
      figures.put(prefix + "spans_left_unstored", left);
      out.println(prefix + "line: " + m.group());
      check(failures, exited, "the SIGTERMed service exited");
      check(
          failures,
          exitMillis <= FLUSH_BOUND_MILLIS + 3000,
          "the SIGTERMed service exited within its flush bound (" + exitMillis + " ms)");
      check(failures, beforeFailed.get() == 0, "no request failed before the SIGTERM");
      check(failures, beforeOk.get() > 0, "requests were answered before the SIGTERM");
      check(
          failures,
          accepted == stored + dropped + unstored && unstored == left,
          "shutdown counters add up: " + m.group());
      if (blackHoled) {
        check(failures, stored == 0 && events == 0, "nothing stored into a black hole");
        check(
            failures,
            dropped + unstored == accepted && accepted > 0,
            "every span accepted was counted dropped or unstored: " + m.group());
      } else {
        check(
            failures,
            events == 2 * stored,
            "events in the collector " + events + " = 2 x spans stored " + stored);
      }
    } finally {
      if (app.isAlive()) {
        app.destroyForcibly();
      }
      if (hole != null) {
        hole.close();
      }
      Files.deleteIfExists(log);
    }
  }

  private static void check(List<String> failures, boolean ok, String what) {
    if (!ok) {
      failures.add(what);
    }
  }

  private static void waitForPort(int port, Process app) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        throw new IOException("the service exited with " + app.exitValue() + " before listening");
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("the service did not listen on " + port + " within 60 s");
  }
}
