package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A thread that ends inside a trace (its scope never closed) does not keep its lease on the queue's
 * byte budget: once its context is unreachable, the lease goes back.
 */
class LeaseReclaimTest {
  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  void aThreadThatEndsInsideATraceGivesItsLeaseBack() throws Exception {
    assertThat(Weft.flush()).isTrue();
    long before = Weft.management().getQueueBytes();
    CountDownLatch recorded = new CountDownLatch(1);
    CountDownLatch exit = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              Trace.begin("lease-reclaim-base", null, null); // never closed
              try (Span s = Trace.span("work")) {
                s.info("k", "v");
              }
              recorded.countDown();
              try {
                exit.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "weft-test-lease");
    t.start();
    assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Weft.flush()).isTrue();
    // The span is stored; what the thread leased and did not spend is still counted.
    assertThat(Weft.management().getQueueBytes()).isGreaterThan(before);
    exit.countDown();
    t.join();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Weft.management().getQueueBytes() > before && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(Weft.management().getQueueBytes()).isLessThanOrEqualTo(before);
  }
}
