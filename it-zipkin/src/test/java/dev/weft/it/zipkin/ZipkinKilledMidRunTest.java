package dev.weft.it.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.WeftMXBean;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.pipeline.Pipeline;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §8 against the real Zipkin server: the server behind {@code zipkin://} is killed (SIGKILL)
 * while a traced workload runs, and started again on the same port. The application's calls never
 * fail; every span is either stored or counted as dropped ({@code SpansDroppedCollectorError});
 * once Zipkin is back, Weft's pipeline stores again after its backoff, and the spans in the new
 * (in-memory, so empty) Zipkin are exactly those Weft counted as stored since the restart. The
 * figures (spans, drops, restart and recovery times) are printed.
 */
class ZipkinKilledMidRunTest {
  private static final int KILL_AT = 100;
  private static final int MAX_TRACES = 20_000;
  private static final int SPANS_PER_TRACE = 3;

  private ZipkinServer zipkin;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(ZipkinServer.missing() == null, ZipkinServer.missing());
    zipkin = ZipkinServer.start(ZipkinServer.freePort());
  }

  @AfterEach
  void stop() throws Exception {
    Weft.flush();
    Weft.resetRuntimeChanges();
    if (zipkin != null) {
      zipkin.close();
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(2_000_000L);
    }
  }

  private static void count(Span s, AtomicLong produced) {
    if (s.isRecording()) {
      produced.incrementAndGet();
    }
  }

  @Test
  void zipkinKilledMidRun_noCallFails_dropsCounted_storedAgainAfterRestart() throws Exception {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.service", "orders");
    Weft.set("weft.connection_string", zipkin.connectionString());
    Pipeline p = WeftRuntime.pipeline();
    WeftMXBean jmx = Weft.management();
    await("the pipeline to drain", Duration.ofSeconds(60), Weft::flush);
    long accepted0 = p.accepted();
    long stored0 = p.stored();
    long droppedCollector0 = p.droppedCollector();
    long droppedQueueFull0 = p.droppedQueueFull();
    long dropped0 = droppedCollector0 + droppedQueueFull0;
    long droppedJmx0 = jmx.getSpansDroppedCollectorError();
    long errors0 = p.collectorErrors();

    AtomicInteger progress = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicLong produced = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    Thread workload =
        new Thread(
            () -> {
              for (int i = 0; i < MAX_TRACES && !done.get(); i++) {
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
                LockSupport.parkNanos(5_000_000L);
              }
            },
            "workload");
    workload.start();

    await("the workload to get going", Duration.ofSeconds(60), () -> progress.get() >= KILL_AT);
    long storedBeforeKill = p.stored() - stored0;
    zipkin.kill(); // SIGKILL, mid-run
    long killedAt = System.nanoTime();
    await("a failed batch", Duration.ofSeconds(60), () -> p.collectorErrors() > errors0);
    long firstFailureMillis = (System.nanoTime() - killedAt) / 1_000_000;

    long storedAtLaunch = p.stored();
    long launchedAt = System.nanoTime();
    zipkin.launch(); // same port, a new (empty) in-memory store
    zipkin.awaitHealthy(Duration.ofSeconds(90));
    long healthyAt = System.nanoTime();
    long storedAtHealthy = p.stored();
    await("Weft to store again", Duration.ofSeconds(60), () -> p.stored() > storedAtHealthy);
    long recoveredAt = System.nanoTime();
    int progressAtRecovery = progress.get();
    await(
        "the workload to run on after recovery",
        Duration.ofSeconds(60),
        () -> progress.get() >= progressAtRecovery + KILL_AT);
    done.set(true);
    workload.join(60_000);
    assertThat(workload.isAlive()).isFalse();
    await("the pipeline to drain", Duration.ofSeconds(60), Weft::flush);

    // A trace made after the restart is in Zipkin whole.
    String after = UUID.randomUUID().toString();
    String afterSpan;
    try (TraceScope t = Trace.begin(after, null, null)) {
      try (Span s = Trace.span("after_restart")) {
        count(s, produced);
        afterSpan = s.id();
      }
    }
    await("the pipeline to drain", Duration.ofSeconds(60), Weft::flush);

    long stored = p.stored() - stored0;
    long dropped = p.droppedCollector() + p.droppedQueueFull() - dropped0;
    long droppedJmx = jmx.getSpansDroppedCollectorError() - droppedJmx0;
    long storedSinceLaunch = p.stored() - storedAtLaunch;
    long inZipkin = zipkin.spanCount();
    for (int i = 0; i < 100 && inZipkin < storedSinceLaunch; i++) {
      Thread.sleep(100); // Zipkin's intake is asynchronous
      inZipkin = zipkin.spanCount();
    }
    long traces = progress.get();
    System.out.printf(
        "zipkin outage: traces=%d spans produced=%d stored=%d (before kill %d) dropped=%d"
            + " (JMX SpansDroppedCollectorError %d) failed application calls=%d failed batches=%d;"
            + " first failed batch %d ms after the kill; restart to /health UP %d ms; UP to first"
            + " stored batch %d ms; spans in the restarted Zipkin=%d (stored since restart %d)%n",
        traces,
        produced.get(),
        stored,
        storedBeforeKill,
        dropped,
        droppedJmx,
        failures.get(),
        p.collectorErrors() - errors0,
        firstFailureMillis,
        (healthyAt - launchedAt) / 1_000_000,
        (recoveredAt - healthyAt) / 1_000_000,
        inZipkin,
        storedSinceLaunch);

    assertThat(failures.get()).isZero();
    assertThat(produced.get()).isEqualTo(traces * SPANS_PER_TRACE + 1);
    assertThat(p.accepted() - accepted0).isEqualTo(produced.get());
    assertThat(storedBeforeKill).isPositive();
    assertThat(dropped).isPositive();
    // JMX counts the same drops: the collector's failures (the queue never filled here)
    assertThat(droppedJmx).isEqualTo(p.droppedCollector() - droppedCollector0);
    assertThat(p.droppedQueueFull() - droppedQueueFull0).isZero();
    assertThat(stored + dropped).isEqualTo(produced.get());
    assertThat(inZipkin).isEqualTo(storedSinceLaunch);
    assertThat(zipkin.trace(after.replace("-", "")))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.path("name").asText()).isEqualTo("after_restart");
              assertThat(s.path("id").asText()).isEqualTo(afterSpan.replace("-", "").substring(16));
              assertThat(s.path("localEndpoint").path("serviceName").asText()).isEqualTo("orders");
            });
  }
}
