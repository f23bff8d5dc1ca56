package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.internal.context.SpanRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-thread byte leases, the in-place consumer API and the slots' clearing. */
class RingBufferLeaseTest {
  private static SpanRecord sized(int chars) {
    SpanRecord r = Spans.span("b", 0, 0);
    r.extra = null;
    r.a = "x".repeat(chars);
    return r;
  }

  @Test
  void leaseIsAThousandthOfTheBudget_between1And16Kb() {
    assertThat(new RingBuffer(8, 8L << 20).leaseBytes()).isEqualTo(8192);
    assertThat(new RingBuffer(8, 1L << 20).leaseBytes()).isEqualTo(1024);
    assertThat(new RingBuffer(8, 64 * 1024).leaseBytes()).isEqualTo(1024);
    assertThat(new RingBuffer(8, 1L << 30).leaseBytes()).isEqualTo(16 * 1024);
    assertThat(new RingBuffer(8).leaseBytes()).isEqualTo(16 * 1024);
  }

  @Test
  void aProducerLeasesOnlyWhenItsCreditRunsOut_andTheConsumerReturnsWhatItTakes() {
    RingBuffer ring = new RingBuffer(64, 8L << 20); // 8 KB leases
    RingBuffer.Credit credit = new RingBuffer.Credit();
    SpanRecord r = sized(10);
    long size = r.approxBytes();
    int perLease = (int) (8192 / size);

    assertThat(ring.offer(r, credit)).isTrue();
    assertThat(ring.queuedBytes()).isEqualTo(8192); // one lease taken from the shared budget
    assertThat(credit.left()).isEqualTo(8192 - size);
    for (int i = 1; i < perLease; i++) {
      assertThat(ring.offer(r, credit)).isTrue();
    }
    assertThat(ring.queuedBytes()).isEqualTo(8192); // still the one lease
    assertThat(credit.left()).isEqualTo(8192 - perLease * size).isLessThan(size);
    assertThat(ring.offer(r, credit)).isTrue(); // the credit ran out: a second lease
    assertThat(ring.queuedBytes()).isEqualTo(8192 + 8192);
    assertThat(credit.left()).isEqualTo(2 * 8192 - (perLease + 1) * size);

    assertThat(ring.peek(64)).isEqualTo(perLease + 1);
    ring.release(perLease + 1);
    assertThat(ring.queuedBytes())
        .isEqualTo(2 * 8192 - (perLease + 1) * size)
        .isEqualTo(credit.left());
    credit.giveBack();
    assertThat(credit.left()).isZero();
    assertThat(ring.queuedBytes()).isZero();
    credit.giveBack(); // twice is harmless
    assertThat(ring.queuedBytes()).isZero();
  }

  @Test
  void theBoundHolds_queuedBytesNeverPassMaxBytes_evenWithLeasesOutstanding() {
    long max = 64 * 1024; // 1 KB leases
    RingBuffer ring = new RingBuffer(1024, max);
    List<RingBuffer.Credit> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new RingBuffer.Credit());
    }
    SpanRecord r = sized(200); // 192 + 40 + 400 = 632 bytes
    long size = r.approxBytes();
    long queued = 0;
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      RingBuffer.Credit c = threads.get(i % threads.size());
      if (ring.offer(r, c)) {
        queued += size;
      } else {
        refused++;
        // refused only when neither the thread's credit nor the shared budget has room for it
        assertThat(c.left()).isLessThan(size);
        assertThat(max - ring.queuedBytes()).isLessThan(size - c.left());
      }
      long credits = threads.stream().mapToLong(RingBuffer.Credit::left).sum();
      assertThat(ring.queuedBytes()).isEqualTo(queued + credits).isLessThanOrEqualTo(max);
    }
    assertThat(refused).isPositive();
    assertThat(ring.droppedFull()).isEqualTo(refused);
    assertThat(queued).isLessThanOrEqualTo(max);
    // budget held unused: less than one lease per thread, and less than a span in the shared room
    assertThat(max - queued).isLessThan(threads.size() * ring.leaseBytes() + size);

    ring.release(ring.peek(1024));
    threads.forEach(RingBuffer.Credit::giveBack);
    assertThat(ring.queuedBytes()).isZero();
  }

  @Test
  void aSpanBiggerThanALeaseTakesWhatItNeeds_andAFullRingRefundsTheCredit() {
    RingBuffer ring = new RingBuffer(2, 64 * 1024); // 1 KB leases, two slots
    RingBuffer.Credit credit = new RingBuffer.Credit();
    SpanRecord big = sized(2_000); // over 4 KB, more than a lease
    assertThat(ring.offer(big, credit)).isTrue();
    assertThat(ring.queuedBytes()).isEqualTo(big.approxBytes());
    assertThat(credit.left()).isZero();
    SpanRecord small = sized(0);
    assertThat(ring.offer(small, credit)).isTrue();
    long before = ring.queuedBytes();
    long left = credit.left();
    assertThat(ring.offer(small, credit)).isFalse(); // no slot: the charge goes back to the credit
    assertThat(credit.left()).isEqualTo(left);
    assertThat(ring.queuedBytes()).isEqualTo(before);
    assertThat(ring.droppedFull()).isEqualTo(1);
  }

  @Test
  void aCreditOfAnotherRingIsGivenBackThere_beforeLeasingFromThisOne() {
    RingBuffer old = new RingBuffer(8, 1L << 20);
    RingBuffer now = new RingBuffer(8, 1L << 20);
    RingBuffer.Credit credit = new RingBuffer.Credit();
    SpanRecord r = sized(0);
    assertThat(old.offer(r, credit)).isTrue();
    old.release(old.peek(8));
    assertThat(old.queuedBytes()).isEqualTo(credit.left());
    assertThat(now.offer(r, credit)).isTrue();
    assertThat(old.queuedBytes()).isZero();
    assertThat(now.queuedBytes()).isEqualTo(1024);
  }

  @Test
  void theConsumerReadsInPlace_andHeadMovesOnlyOnRelease() {
    RingBuffer ring = new RingBuffer(8);
    for (int i = 0; i < 5; i++) {
      assertThat(ring.offer(Spans.span("b", 0, i))).isTrue();
    }
    assertThat(ring.peek(3)).isEqualTo(3);
    assertThat(ring.peek(100)).isEqualTo(5);
    assertThat(ring.slot(0).idLo & 0xff).isEqualTo(0);
    assertThat(ring.slot(4).idLo & 0xff).isEqualTo(4);
    assertThat(ring.taken()).isZero();
    assertThat(ring.size()).isEqualTo(5);
    ring.release(2);
    assertThat(ring.taken()).isEqualTo(2);
    assertThat(ring.peek(100)).isEqualTo(3);
    assertThat(ring.slot(0).idLo & 0xff).isEqualTo(2);
    // released slots are free again: 3 queued + 5 more fill the 8 slots
    for (int i = 5; i < 10; i++) {
      assertThat(ring.offer(Spans.span("b", 0, i))).isTrue();
    }
    assertThat(ring.offer(Spans.span("b", 0, 10))).isFalse();
    assertThat(ring.peek(100)).isEqualTo(8);
    assertThat(ring.slot(7).idLo & 0xff).isEqualTo(9);
  }

  @Test
  void releaseDropsPayloadReferences_butKeepsShortRepeatedStrings() {
    RingBuffer ring = new RingBuffer(2);
    SpanRecord r = Spans.span("0123456789abcdef0123456789abcdef0123", 0, 1); // 36 chars: kept
    r.service = "s".repeat(37); // longer: dropped
    r.a = "a";
    r.b = "b";
    r.c = "c";
    r.d = "d";
    r.e = "e";
    r.f = "f";
    r.etype = "KeyError";
    r.message = "m";
    r.annotations = java.util.Map.of("k", "v");
    assertThat(ring.offer(r)).isTrue();
    assertThat(ring.peek(1)).isEqualTo(1);
    RingBuffer.Slot s = (RingBuffer.Slot) ring.slot(0);
    assertThat(s.a).isSameAs(r.a);
    assertThat(s.extra).isSameAs(r.extra);
    ring.release(1);

    assertThat(s.a).isNull();
    assertThat(s.b).isNull();
    assertThat(s.c).isNull();
    assertThat(s.d).isNull();
    assertThat(s.e).isNull();
    assertThat(s.f).isNull();
    assertThat(s.extra).isNull();
    assertThat(s.annotations).isNull();
    assertThat(s.message).isNull();
    assertThat(s.service).isNull();
    assertThat(s.name).isSameAs(r.name);
    assertThat(s.baseId).isSameAs(r.baseId);
    assertThat(s.parentText).isSameAs(r.parentText);
    assertThat(s.etype).isSameAs(r.etype);
    assertThat(s.shape).isSameAs(r.shape);

    // the next span in that slot finds what it shares in place and replaces the rest
    SpanRecord next = Spans.span(r.baseId, 0, 3);
    next.name = "other";
    s.fill(next);
    assertThat(s.baseId).isSameAs(r.baseId);
    assertThat(s.name).isEqualTo("other");
    assertThat(s.etype).isNull();
    assertThat(s.extra).isSameAs(next.extra);
    assertThat(s.idLo).isEqualTo(next.idLo);
  }

  /** What the test's own thread does once the consumer is parked; it may look at the consumer. */
  private interface Produce {
    void run(Thread consumer) throws Exception;
  }

  /**
   * Runs {@code park} on a consumer thread of {@code ring} and, once that thread is parked, {@code
   * produce} on this one; returns how many spans the consumer found ready when it woke. Fails if it
   * does not wake within 30 s.
   */
  private static int readyWhenWoken(RingBuffer ring, Runnable park, Produce produce) {
    java.util.concurrent.atomic.AtomicInteger ready =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    Thread consumer =
        new Thread(
            () -> {
              park.run();
              ready.set(ring.peek(64));
            });
    ring.consumer(consumer);
    consumer.start();
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          while (consumer.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
          }
          produce.run(consumer);
          consumer.join();
        });
    return ready.get();
  }

  @Test
  void aParkedConsumerIsWokenByAProducer() {
    RingBuffer ring = new RingBuffer(64);
    int ready =
        readyWhenWoken(
            ring,
            () -> ring.park(Long.MAX_VALUE, true), // no timeout of its own: only a producer ends it
            c -> assertThat(ring.offer(Spans.span("b", 0, 0))).isTrue()); // position 0: wake point
    assertThat(ready).isEqualTo(1);
  }

  @Test
  void anIdleConsumerIsWokenByTheNextSpan_atAnyPosition() {
    RingBuffer ring = new RingBuffer(64); // wake positions: 0, 8, ...
    assertThat(ring.offer(Spans.span("b", 0, 0))).isTrue(); // position 0, while nobody is parked
    int ready =
        readyWhenWoken(
            ring,
            () -> {
              ring.release(ring.peek(1));
              ring.idle(Long.MAX_VALUE); // no timeout of its own: only a producer ends it
            },
            c -> assertThat(ring.offer(Spans.span("b", 0, 1))).isTrue()); // position 1
    assertThat(ready).isEqualTo(1);
  }

  @Test
  void aLingeringConsumerIsNotWokenBetweenWakePoints() {
    RingBuffer ring = new RingBuffer(64);
    assertThat(ring.offer(Spans.span("b", 0, 0))).isTrue();
    int ready =
        readyWhenWoken(
            ring,
            () -> {
              ring.release(ring.peek(1));
              ring.park(Long.MAX_VALUE, false); // lingers: only a wake point ends it
            },
            c -> {
              for (int i = 1; i < 8; i++) { // positions 1..7: no wake point
                assertThat(ring.offer(Spans.span("b", 0, i))).isTrue();
              }
              c.join(200);
              assertThat(c.isAlive()).isTrue(); // still lingering after seven spans
              assertThat(ring.offer(Spans.span("b", 0, 8))).isTrue(); // position 8: a wake point
            });
    assertThat(ready).isEqualTo(8);
  }

  @Test
  void aLeaseThatFindsAQuarterOfTheBudgetInUseWakesAParkedConsumer() {
    RingBuffer ring = new RingBuffer(1024, 64 * 1024); // wake positions: 0, 128, ...
    assertThat(ring.offer(sized(0))).isTrue(); // position 0, while nobody is parked
    int ready =
        readyWhenWoken(
            ring,
            () -> {
              ring.release(ring.peek(1));
              ring.park(Long.MAX_VALUE, true);
            },
            // position 1 is no wake position; its lease takes the budget past a quarter
            c -> assertThat(ring.offer(sized(9_000), new RingBuffer.Credit())).isTrue());
    assertThat(ready).isEqualTo(1);
  }

  @Test
  void concurrentProducersWithCredits_budgetStaysBounded_andAllComesBack() throws Exception {
    long max = 256 * 1024;
    RingBuffer ring = new RingBuffer(256, max);
    int threads = 4;
    int perThread = 20_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      producers.add(
          new Thread(
              () -> {
                RingBuffer.Credit credit = new RingBuffer.Credit();
                SpanRecord r = sized(50);
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  ring.offer(r, credit);
                }
                credit.giveBack();
              }));
    }
    producers.forEach(Thread::start);
    go.countDown();
    AtomicLong taken = new AtomicLong();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          while (producers.stream().anyMatch(Thread::isAlive) || ring.peek(1) > 0) {
            assertThat(ring.queuedBytes()).isLessThanOrEqualTo(max);
            int n = ring.peek(64);
            ring.release(n);
            taken.addAndGet(n);
          }
        });
    for (Thread p : producers) {
      p.join();
    }
    ring.release(ring.peek(1024));
    assertThat(ring.accepted() + ring.droppedFull()).isEqualTo((long) threads * perThread);
    assertThat(ring.taken()).isEqualTo(ring.accepted());
    assertThat(ring.queuedBytes()).isZero();
  }
}
