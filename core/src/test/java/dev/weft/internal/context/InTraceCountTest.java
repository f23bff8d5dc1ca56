package dev.weft.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Trace;
import dev.weft.TraceScope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The process-wide count of contexts in a trace, which lets {@link ThreadContext#active()} skip the
 * ThreadLocal while it is 0: every way a context enters or leaves a trace moves it by one, and a
 * thread in a trace always finds its context, whatever other threads do.
 */
class InTraceCountTest {
  private ExecutorService other;
  private int baseline;

  @BeforeEach
  void setUp() {
    other = Executors.newSingleThreadExecutor();
    baseline = ThreadContext.inTrace(); // contexts other tests' ended threads left in a trace
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    other.shutdown();
    assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void beginAndEnd_countTheContextInAndOut() {
    ThreadContext c = ThreadContext.forThread();
    c.begin("b1", null, null);
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
    assertThat(ThreadContext.active()).isSameAs(c);
    c.begin("b2", "p2", null); // a new trace on a context already in one: still one context
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
    assertThat(ThreadContext.active().baseId()).isEqualTo("b2");
    c.end();
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline);
    assertThat(ThreadContext.active()).isNull();
    c.end(); // ending a context in no trace does not count it out twice
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline);
  }

  @Test
  void nestedScopes_installAndRestore_countOnceAndComeBackToTheBaseline() {
    try (TraceScope outer = Trace.begin("outer", null, null)) {
      assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
      try (TraceScope inner = Trace.begin("inner", null, null)) {
        assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
        assertThat(Trace.baseId()).isEqualTo("inner");
      }
      assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
      assertThat(Trace.baseId()).isEqualTo("outer");
    }
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline);
    assertThat(Trace.baseId()).isNull();
  }

  @Test
  void aThreadInATrace_findsItsContext_andAnUntracedThreadFindsNone() throws Exception {
    CountDownLatch begun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    var held =
        other.submit(
            () -> {
              try (TraceScope s = Trace.begin("on-other", null, null)) {
                begun.countDown();
                release.await(10, TimeUnit.SECONDS);
                return Trace.baseId();
              }
            });
    assertThat(begun.await(10, TimeUnit.SECONDS)).isTrue();
    // The count is not 0 now, so this thread takes the ThreadLocal path, and finds no trace.
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 1);
    assertThat(ThreadContext.active()).isNull();
    assertThat(Trace.baseId()).isNull();
    try (TraceScope mine = Trace.begin("on-this", null, null)) {
      assertThat(ThreadContext.inTrace()).isEqualTo(baseline + 2);
      assertThat(Trace.baseId()).isEqualTo("on-this");
    }
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("on-other");
    assertThat(ThreadContext.inTrace()).isEqualTo(baseline);
    assertThat(other.submit(Trace::baseId).get(10, TimeUnit.SECONDS)).isNull();
  }
}
