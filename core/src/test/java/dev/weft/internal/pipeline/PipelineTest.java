package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  private final List<Pipeline> pipelines = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopPipelines() {
    release.countDown();
    for (Pipeline p : pipelines) {
      p.shutdown(5_000);
    }
  }

  private Pipeline pipeline(int capacity, int batch, Collector c) {
    Pipeline p = new Pipeline(capacity, batch, c, Spans.encoder());
    pipelines.add(p);
    return p;
  }

  /** Keeps every batch it is given; throws while {@code failing} is set. */
  static final class RecordingCollector implements Collector {
    final AtomicBoolean failing = new AtomicBoolean();
    final List<Event> stored = new ArrayList<>();
    final AtomicLong failedSpans = new AtomicLong();
    final AtomicLong failedCalls = new AtomicLong();

    @Override
    public synchronized void store(List<Event> batch) {
      if (failing.get()) {
        failedSpans.addAndGet(batch.size() / 2);
        failedCalls.incrementAndGet();
        throw new IllegalStateException("collector down");
      }
      stored.addAll(batch);
    }

    synchronized List<Event> stored() {
      return new ArrayList<>(stored);
    }
  }

  @Test
  void encodesStartAndStopEventsInOsprofilersShape() {
    SpanRecord r = Spans.span("base-1", 1, 7);
    r.etype = "KeyError";
    r.message = "'nope'";
    List<Event> out = new ArrayList<>();
    Spans.encoder().encode(r, out);

    String id = "00000000-0001-4000-8000-000000000007";
    String start = Timestamps.format(Clock.epochMicros(r.startTick));
    String stop = Timestamps.format(Clock.epochMicros(r.stopTick));
    assertThat(out)
        .containsExactly(
            new Event(
                "base-1",
                "op-start",
                "{\"name\": \"op-start\", \"base_id\": \"base-1\", \"trace_id\": \""
                    + id
                    + "\", \"parent_id\": \"base-1\", \"timestamp\": \""
                    + start
                    + "\", \"info\": {\"seq\": \"7\", \"host\": \"host-1\"},"
                    + " \"project\": \"proj\", \"service\": \"svc\"}",
                start,
                false),
            new Event(
                "base-1",
                "op-stop",
                "{\"name\": \"op-stop\", \"base_id\": \"base-1\", \"trace_id\": \""
                    + id
                    + "\", \"parent_id\": \"base-1\", \"timestamp\": \""
                    + stop
                    + "\", \"info\": {\"etype\": \"KeyError\", \"message\": \"'nope'\","
                    + " \"host\": \"host-1\"}, \"project\": \"proj\", \"service\": \"svc\"}",
                stop,
                true));
  }

  @Test
  void timestampsAreOsprofilersNaiveUtcWithMicroseconds() {
    assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00.000000");
    long micros = Timestamps.parse("2024-01-02T03:04:05.123456");
    assertThat(micros).isEqualTo(1704164645_123456L);
    assertThat(Timestamps.format(micros)).isEqualTo("2024-01-02T03:04:05.123456");
    assertThat(Timestamps.parse("2024-01-02T03:04:05.5")).isEqualTo(1704164645_500000L);
    assertThat(Timestamps.parse("2024-01-02T03:04:05")).isEqualTo(1704164645_000000L);
  }

  @Test
  void throwingCollector_dropsAreCountedAndLaterBatchesAreStoredAfterBackoff() {
    RecordingCollector c = new RecordingCollector();
    c.failing.set(true);
    Pipeline p = pipeline(1024, 16, c);

    for (int i = 0; i < 50; i++) {
      p.offer(Spans.span("t1", 0, i)); // returns normally: the collector's failure stays inside
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(20_000)).isTrue());
    assertThat(c.failedSpans.get()).isEqualTo(50);
    assertThat(p.droppedCollector()).isEqualTo(50);
    assertThat(p.collectorErrors()).isEqualTo(c.failedCalls.get());
    assertThat(p.stored()).isZero();
    assertThat(p.accepted()).isEqualTo(50);
    assertThat(p.droppedQueueFull()).isZero();

    c.failing.set(false);
    for (int i = 50; i < 80; i++) {
      p.offer(Spans.span("t1", 0, i));
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(20_000)).isTrue());
    assertThat(p.stored()).isEqualTo(30);
    assertThat(p.droppedCollector()).isEqualTo(50);
    assertThat(p.accepted()).isEqualTo(80);
    List<String> names = new ArrayList<>();
    List<String> seqs = new ArrayList<>();
    List<String> expectedNames = new ArrayList<>();
    List<String> expectedSeqs = new ArrayList<>();
    for (Event e : c.stored()) {
      names.add(e.name());
      seqs.add(e.json().replaceAll(".*\"trace_id\": \"([^\"]+)\".*", "$1"));
    }
    for (int i = 50; i < 80; i++) {
      expectedNames.add("op-start");
      expectedNames.add("op-stop");
      String id = String.format("00000000-0000-4000-8000-%012x", i);
      expectedSeqs.add(id);
      expectedSeqs.add(id);
    }
    assertThat(names).isEqualTo(expectedNames);
    assertThat(seqs).isEqualTo(expectedSeqs);
  }

  @Test
  void blockingCollector_neverBlocksProducers_dropsAreCounted_flushIsBounded() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicLong blockedBatchSpans = new AtomicLong();
    List<Event> stored = new ArrayList<>();
    Collector blocking =
        batch -> {
          if (entered.getCount() == 1) {
            blockedBatchSpans.set(batch.size() / 2);
            entered.countDown();
            release.await(); // blocks until the test ends (or releases it)
          }
          synchronized (stored) {
            stored.addAll(batch);
          }
        };
    Pipeline p = pipeline(1024, 64, blocking);
    p.offer(Spans.span("t2", 0, 0));
    assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(blockedBatchSpans.get()).isEqualTo(1);

    int produced = 100_000;
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          for (int i = 1; i < produced; i++) {
            p.offer(Spans.span("t2", 0, i));
          }
        });
    assertThat(p.accepted() + p.droppedQueueFull()).isEqualTo(produced);
    // The collector reads its batch in place: the blocked span keeps its slot until the collector
    // returns, so the ring holds exactly its capacity, the blocked span included.
    assertThat(p.accepted()).isEqualTo(p.capacity());
    assertThat(p.capacity()).isEqualTo(1024);
    assertThat(p.droppedQueueFull()).isEqualTo(produced - 1024);
    assertThat(p.queueSize()).isEqualTo(1024);

    boolean flushed = assertTimeoutPreemptively(HANG_GUARD, () -> p.flush(200));
    assertThat(flushed).isFalse();
    assertThat(p.stored()).isZero();

    release.countDown();
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(20_000)).isTrue());
    assertThat(p.stored()).isEqualTo(p.accepted());
    assertThat(p.droppedCollector()).isZero();
    synchronized (stored) {
      assertThat(stored).hasSize(2 * 1024);
    }
  }

  @Test
  void severalProducers_everySpanStoredOrDroppedOnce() throws Exception {
    RecordingCollector c = new RecordingCollector();
    Pipeline p = pipeline(256, 32, c);
    int threads = 4;
    int perThread = 20_000;
    List<Thread> producers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      long producer = t;
      producers.add(
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  p.offer(Spans.span("t3", producer, i));
                }
              }));
    }
    producers.forEach(Thread::start);
    go.countDown();
    for (Thread t : producers) {
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(20_000)).isTrue());

    assertThat(p.accepted() + p.droppedQueueFull()).isEqualTo((long) threads * perThread);
    assertThat(p.stored()).isEqualTo(p.accepted());
    List<Event> events = c.stored();
    assertThat(events).hasSize((int) (2 * p.accepted()));
    Set<String> ids = new HashSet<>();
    long[] lastSeq = new long[threads];
    java.util.Arrays.fill(lastSeq, -1);
    for (int i = 0; i < events.size(); i += 2) {
      Event start = events.get(i);
      Event stop = events.get(i + 1);
      assertThat(start.name()).isEqualTo("op-start");
      assertThat(stop.name()).isEqualTo("op-stop");
      String id = start.json().replaceAll(".*\"trace_id\": \"([^\"]+)\".*", "$1");
      assertThat(stop.json()).contains("\"trace_id\": \"" + id + "\"");
      assertThat(ids.add(id)).as("duplicate span %s", id).isTrue();
      java.util.UUID u = java.util.UUID.fromString(id);
      int producer = (int) ((u.getMostSignificantBits() >>> 16) & 0xffff);
      long seq = u.getLeastSignificantBits() & 0x7fffffffffffffffL;
      assertThat(seq).as("per-producer order").isGreaterThan(lastSeq[producer]);
      lastSeq[producer] = seq;
    }
  }

  @Test
  void aPartialFailureDropsOnlyTheFailedTraces_andDoesNotBackOff() {
    // Every batch: the spans of trace "poison" fail, the others are stored.
    List<Event> kept = new ArrayList<>();
    Collector c =
        batch -> {
          int failed = 0;
          for (Event e : batch) {
            if (e.baseId().equals("poison")) {
              failed++;
            } else {
              synchronized (kept) {
                kept.add(e);
              }
            }
          }
          if (failed > 0) {
            throw new dev.weft.spi.PartialFailure(
                java.util.Set.of("poison"), failed, new java.io.IOException("File name too long"));
          }
        };
    Pipeline p = pipeline(1024, 8, c);
    for (int i = 0; i < 40; i++) {
      p.offer(Spans.span(i % 4 == 0 ? "poison" : "good", 0, i));
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(20_000)).isTrue());
    assertThat(p.stored()).isEqualTo(30);
    assertThat(p.droppedCollector()).isEqualTo(10);
    synchronized (kept) {
      assertThat(kept).hasSize(60).allMatch(e -> e.baseId().equals("good"));
    }
    assertThat(p.collectorErrors()).isPositive();
    assertThat(p.backoff).isZero(); // a failure of some traces does not back the collector off
  }

  @Test
  void shutdownKeepsOneDeadline_andCountsWhatItLeaves() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Collector blocking =
        batch -> {
          entered.countDown();
          release.await(); // never released before shutdown: a collector that hangs
        };
    Pipeline p = new Pipeline(1024, 8, blocking, Spans.encoder());
    for (int i = 0; i < 50; i++) {
      p.offer(Spans.span("t3", 0, i));
    }
    assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    boolean done = assertTimeoutPreemptively(HANG_GUARD, () -> p.shutdown(300));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000L;
    assertThat(done).isFalse();
    assertThat(p.stored()).isZero();
    assertThat(p.droppedAtShutdown()).isEqualTo(50); // the blocked batch included
    // One deadline for flush, join and close (it used to be two bounds, one after the other).
    assertThat(tookMillis).isLessThan(300 + 250);
  }

  @Test
  void spansEndedJustAfterTheShutdownFlush_areStoredToo_andTheCountersAddUp() throws Exception {
    RecordingCollector c = new RecordingCollector();
    Pipeline p = new Pipeline(1024, 8, c, Spans.encoder());
    p.offer(Spans.span("t4", 0, 1));
    // a request still in flight ends its span 40 ms into the shutdown, after the first flush
    Thread late =
        new Thread(
            () -> {
              java.util.concurrent.locks.LockSupport.parkNanos(40_000_000L);
              p.offer(Spans.span("t4", 0, 2));
            });
    late.start();
    boolean done = assertTimeoutPreemptively(HANG_GUARD, () -> p.shutdown(5_000));
    late.join();
    assertThat(done).isTrue();
    assertThat(p.stored()).isEqualTo(2);
    assertThat(c.stored()).hasSize(4);
    assertThat(p.droppedAtShutdown()).isZero();
    assertThat(p.accepted()).isEqualTo(p.stored() + p.droppedCollector());
  }

  @Test
  void theCollectorThreadLingersAsConfigured_andFlushStoresAtOnce() throws Exception {
    RecordingCollector c = new RecordingCollector();
    Pipeline p = new Pipeline(1024, Long.MAX_VALUE, 64, 10_000, c, Spans.encoder());
    pipelines.add(p);
    // The first span is at a wake point (every 1024/8-th position) and is flushed; then the thread
    // lingers, and a span at another position does not wake it.
    p.offer(Spans.span("t5", 0, 1));
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(5_000)).isTrue());
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          while (!p.lingering()) {
            Thread.sleep(1);
          }
        });
    p.offer(Spans.span("t6", 0, 2));
    Thread.sleep(500); // well inside the 10 s linger: the span waits in the queue
    assertThat(c.stored()).extracting(Event::baseId).containsExactly("t5", "t5");
    assertThat(p.stored()).isEqualTo(1);
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(p.flush(5_000)).isTrue());
    assertThat(c.stored()).extracting(Event::baseId).containsExactly("t5", "t5", "t6", "t6");
    assertThat(p.stored()).isEqualTo(2);
  }
}
