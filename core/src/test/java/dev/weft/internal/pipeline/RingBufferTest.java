package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.context.SpanRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RingBufferTest {
  @Test
  void capacityIsRoundedUpToAPowerOfTwo() {
    assertThat(new RingBuffer(1).capacity()).isEqualTo(2);
    assertThat(new RingBuffer(1000).capacity()).isEqualTo(1024);
    assertThat(new RingBuffer(1024).capacity()).isEqualTo(1024);
    assertThat(new RingBuffer(1025).capacity()).isEqualTo(2048);
  }

  @Test
  void fullRingDropsAndCountsThenAcceptsAgainAfterPoll() {
    RingBuffer ring = new RingBuffer(4);
    for (int i = 0; i < 4; i++) {
      assertThat(ring.offer(Spans.span("b", 0, i))).isTrue();
    }
    assertThat(ring.offer(Spans.span("b", 0, 4))).isFalse();
    assertThat(ring.droppedFull()).isEqualTo(1);
    assertThat(ring.size()).isEqualTo(4);

    SpanRecord into = new SpanRecord();
    assertThat(ring.poll(into)).isTrue();
    assertThat(into.idLo & 0xff).isEqualTo(0);
    assertThat(into.extra).isEqualTo(java.util.Map.of("seq", "0"));
    assertThat(ring.offer(Spans.span("b", 0, 5))).isTrue();
    List<Long> rest = new ArrayList<>();
    while (ring.poll(into)) {
      rest.add(into.idLo & 0xff);
    }
    assertThat(rest).containsExactly(1L, 2L, 3L, 5L);
    assertThat(ring.accepted()).isEqualTo(5);
    assertThat(ring.taken()).isEqualTo(5);
    assertThat(ring.size()).isZero();
  }

  @Test
  void concurrentProducers_everyAcceptedSpanPolledExactlyOnce_inPerProducerOrder()
      throws Exception {
    RingBuffer ring = new RingBuffer(128);
    int threads = 4;
    int perThread = 50_000;
    List<Set<Long>> acceptedByProducer = new ArrayList<>();
    List<Thread> producers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      Set<Long> accepted = new HashSet<>();
      acceptedByProducer.add(accepted);
      long producer = t;
      producers.add(
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                SpanRecord r = Spans.span("b", producer, 0);
                for (long i = 0; i < perThread; i++) {
                  r.idLo = 0x8000000000000000L | i;
                  if (ring.offer(r)) {
                    accepted.add(i);
                  }
                }
              }));
    }
    AtomicBoolean producing = new AtomicBoolean(true);
    List<Set<Long>> polled = new ArrayList<>();
    long[] last = new long[threads];
    for (int t = 0; t < threads; t++) {
      polled.add(new HashSet<>());
      last[t] = -1;
    }
    long duplicates = 0;
    long outOfOrder = 0;
    producers.forEach(Thread::start);
    go.countDown();
    Thread watcher =
        new Thread(
            () -> {
              for (Thread p : producers) {
                try {
                  p.join();
                } catch (InterruptedException e) {
                  return;
                }
              }
              producing.set(false);
            });
    watcher.start();
    SpanRecord into = new SpanRecord();
    while (true) {
      boolean wasProducing = producing.get();
      if (ring.poll(into)) {
        int producer = (int) ((into.idHi >>> 16) & 0xffff);
        long seq = into.idLo & 0x7fffffffffffffffL;
        if (!polled.get(producer).add(seq)) {
          duplicates++;
        }
        if (seq <= last[producer]) {
          outOfOrder++;
        }
        last[producer] = seq;
      } else if (!wasProducing) {
        break;
      }
    }
    watcher.join();
    assertThat(duplicates).isZero();
    assertThat(outOfOrder).isZero();
    long accepted = 0;
    for (int t = 0; t < threads; t++) {
      assertThat(polled.get(t)).isEqualTo(acceptedByProducer.get(t));
      accepted += acceptedByProducer.get(t).size();
    }
    assertThat(ring.accepted()).isEqualTo(accepted);
    assertThat(ring.accepted() + ring.droppedFull()).isEqualTo((long) threads * perThread);
    assertThat(ring.taken()).isEqualTo(accepted);
  }

  @Test
  void theByteBudgetRefusesBigSpansBeforeTheSlotsRunOut_andIsGivenBackWhenTaken() {
    dev.weft.internal.context.SpanRecord big = new dev.weft.internal.context.SpanRecord();
    big.a = "p".repeat(7_000); // a 7,000-character path: about 14 KB
    long size = big.approxBytes();
    assertThat(size).isEqualTo(192 + 40 + 14_000);
    RingBuffer ring = new RingBuffer(1024, 64 * 1024);
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (ring.offer(big)) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo((int) (64 * 1024 / size));
    assertThat(ring.droppedFull()).isEqualTo(100 - accepted);
    assertThat(ring.queuedBytes()).isEqualTo(accepted * size).isLessThanOrEqualTo(64 * 1024);

    dev.weft.internal.context.SpanRecord out = new dev.weft.internal.context.SpanRecord();
    assertThat(ring.poll(out)).isTrue();
    assertThat(out.a).isEqualTo(big.a);
    assertThat(ring.queuedBytes()).isEqualTo((accepted - 1) * size);
    assertThat(ring.offer(big)).isTrue(); // room again
    while (ring.poll(out)) {
      // drain
    }
    assertThat(ring.queuedBytes()).isZero();
  }
}
