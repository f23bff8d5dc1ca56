package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.context.Ids;
import dev.weft.internal.pipeline.Pipeline;
import dev.weft.spi.Collector;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The process-wide runtime with a broken collector: traced code runs exactly as untraced. */
class FailingCollectorTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  @BeforeAll
  static void setUp() {
    Recorded.configure();
  }

  @AfterEach
  void restoreCollector() {
    WeftRuntime.pipeline().collector(new MemoryCollector());
  }

  @AfterAll
  static void tearDown() {
    Recorded.reset();
  }

  /** A traced method: returns its argument doubled, or throws for a negative one. */
  private static int traced(int x) {
    try (Span s = Trace.span("traced")) {
      if (x < 0) {
        throw new IllegalArgumentException("negative: " + x);
      }
      return 2 * x;
    }
  }

  @Test
  void throwingCollector_tracedMethodsReturnAndThrowUnchanged_dropsCounted() {
    Pipeline p = WeftRuntime.pipeline();
    assertThat(Weft.flush()).isTrue();
    AtomicLong lost = new AtomicLong();
    p.collector(
        batch -> {
          lost.addAndGet(batch.size() / 2);
          throw new java.io.IOException("collector down");
        });
    long droppedBefore = p.droppedCollector();
    long storedBefore = p.stored();

    String base = Ids.newId();
    try (TraceScope t = Trace.begin(base, null, null)) {
      for (int i = 0; i < 20; i++) {
        assertThat(traced(i)).isEqualTo(2 * i);
      }
      IllegalArgumentException thrown = new IllegalArgumentException("app");
      assertThatThrownBy(
              () -> {
                try (Span s = Trace.span("throws")) {
                  throw thrown;
                }
              })
          .isSameAs(thrown);
      assertThatThrownBy(() -> traced(-3))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("negative: -3");
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(Weft.flush()).isTrue());
    assertThat(lost.get()).isEqualTo(22);
    assertThat(p.droppedCollector() - droppedBefore).isEqualTo(22);
    assertThat(p.stored() - storedBefore).isZero();
    assertThat(Recorded.events(base)).isEmpty();
  }

  @Test
  void blockingCollector_tracedCodeCompletes_everySpanAcceptedOrCountedAsDropped()
      throws Exception {
    Pipeline p = WeftRuntime.pipeline();
    assertThat(Weft.flush()).isTrue();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Collector blocking =
        batch -> {
          entered.countDown();
          release.await();
        };
    long acceptedBefore = p.accepted();
    long fullBefore = p.droppedQueueFull();
    p.collector(blocking);
    try {
      String base = Ids.newId();
      int calls = 100_000;
      long sum =
          assertTimeoutPreemptively(
              HANG_GUARD,
              () -> {
                long s = 0;
                try (TraceScope t = Trace.begin(base, null, null)) {
                  for (int i = 0; i < calls; i++) {
                    s += traced(i);
                  }
                }
                return s;
              });
      assertThat(sum).isEqualTo((long) calls * (calls - 1));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      long accepted = p.accepted() - acceptedBefore;
      long full = p.droppedQueueFull() - fullBefore;
      assertThat(accepted + full).isEqualTo(calls);
      assertThat(full).isGreaterThanOrEqualTo(calls - p.capacity() - 512L);
      assertThat(p.flush(100)).isFalse();
    } finally {
      release.countDown();
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(Weft.flush()).isTrue());
  }
}
