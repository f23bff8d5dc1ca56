package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** weft.max_traces_per_second: a cap on new traces only, on a clock the test moves. */
class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * SECOND + 1);
  private final List<String> log = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (log) {
            log.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void capture() {
    Logger.getLogger("dev.weft").addHandler(handler);
  }

  @AfterEach
  void release() {
    Logger.getLogger("dev.weft").removeHandler(handler);
  }

  private List<String> refusals() {
    synchronized (log) {
      return log.stream().filter(m -> m.contains("max_traces_per_second")).toList();
    }
  }

  @Test
  void capOne_sameBaseIdIsTraced_aNewOneIsRefusedAndCounted_andLoggedOnce() {
    RateLimiter l = new RateLimiter(1, now::get);
    RateLimiter.Recent a = l.admit("trace-a");
    assertThat(a).isNotNull();
    // The same trace again within the second (a call back into this service): traced, not counted.
    RateLimiter.Recent again = l.admit("trace-a");
    assertThat(again).isNotNull();
    again.release();
    a.release();
    now.addAndGet(SECOND / 10);
    assertThat(l.admit("trace-a")).isNotNull();
    // A new trace in the same second is over the cap.
    assertThat(l.admit("trace-b")).isNull();
    assertThat(l.admit("trace-c")).isNull();
    assertThat(l.admit("trace-d")).isNull();
    assertThat(l.rejected()).isEqualTo(3);
    assertThat(refusals()).hasSize(1);
    assertThat(refusals().get(0))
        .contains("weft.max_traces_per_second=1 refused 1 new trace (")
        .contains("TracesRateLimited");

    // The next second admits one new trace again; a refused one is not remembered as running.
    now.addAndGet(SECOND);
    assertThat(l.admit("trace-b")).isNotNull();
    assertThat(l.admit("trace-e")).isNull();
    assertThat(l.rejected()).isEqualTo(4);
    assertThat(refusals()).as("at most one line a minute").hasSize(1);

    // A minute later, the next refusal logs again with what was refused meanwhile.
    now.addAndGet(61 * SECOND);
    assertThat(l.admit("trace-x")).isNotNull();
    assertThat(l.admit("trace-y")).isNull();
    assertThat(refusals()).hasSize(2);
    assertThat(refusals().get(1)).contains("refused 4 new traces since its last message");
  }

  @Test
  void aTraceRunningHere_isNeverCutOff_andARecentOneNeitherForTenSeconds() {
    RateLimiter l = new RateLimiter(1, now::get);
    RateLimiter.Recent longRunning = l.admit("long");
    assertThat(longRunning).isNotNull();
    now.addAndGet(SECOND);
    RateLimiter.Recent finished = l.admit("finished");
    assertThat(finished).isNotNull();
    finished.release();

    // A minute on, "long" is still running here: its requests are admitted, whatever the cap.
    now.addAndGet(60 * SECOND);
    assertThat(l.admit("new-1")).isNotNull(); // uses this second's one new trace
    assertThat(l.admit("long")).isNotNull();
    assertThat(l.admit("new-2")).isNull();
    // "finished" ended 60 s ago: it is a new trace now.
    assertThat(l.admit("finished")).isNull();

    now.addAndGet(SECOND);
    RateLimiter.Recent f = l.admit("finished");
    assertThat(f).isNotNull();
    f.release();
    now.addAndGet(RateLimiter.RECENT_NANOS - 1);
    assertThat(l.admit("new-3")).isNotNull();
    assertThat(l.admit("finished")).as("ended less than 10 s ago").isNotNull();
    longRunning.release();
  }

  @Test
  void noCapByDefault_everyTraceIsAdmitted_andTheRecentSetStaysBounded() {
    RateLimiter l = new RateLimiter(0, now::get);
    for (int i = 0; i < 3 * RateLimiter.MAX_RECENT; i++) {
      RateLimiter.Recent r = l.admit("trace-" + i);
      assertThat(r).isNotNull();
      if (i % 2 == 0) {
        r.release();
      }
    }
    assertThat(l.rejected()).isZero();
    assertThat(l.remembered()).isEqualTo(RateLimiter.MAX_RECENT);
    assertThat(refusals()).isEmpty();
  }

  @Test
  void aVeryLongBaseId_isRememberedByItsDigest() {
    RateLimiter l = new RateLimiter(1, now::get);
    String longId = "c".repeat(10_000);
    assertThat(l.admit(longId)).isNotNull();
    assertThat(l.admit(longId)).isNotNull();
    assertThat(l.admit("c".repeat(9_999) + "d")).isNull();
    assertThat(l.remembered()).isEqualTo(1);
  }

  @Test
  void aCapSwitchedOnAtRuntime_knowsTheTracesAlreadyRunning() {
    RateLimiter l = new RateLimiter(0, now::get);
    RateLimiter.Recent running = l.admit("running");
    for (int i = 0; i < 5; i++) {
      assertThat(l.admit("other-" + i)).isNotNull();
    }
    l.limit(1);
    now.addAndGet(SECOND);
    assertThat(l.admit("fresh")).isNotNull();
    assertThat(l.admit("running")).isNotNull();
    assertThat(l.admit("fresh-2")).isNull();
    running.release();
  }
}
