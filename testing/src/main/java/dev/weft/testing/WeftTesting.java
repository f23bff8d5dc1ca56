package dev.weft.testing;

import dev.weft.Trace;
import dev.weft.Weft;
import java.util.List;

/**
 * Helpers for tests of traced code: record spans in memory, read them back as a {@link TraceTree},
 * and fail on a trace context left on a thread.
 *
 * <pre>{@code
 * WeftTesting.recordInMemory();          // weft.enabled=true, weft.connection_string=memory://
 * try (TraceScope t = Trace.begin(baseId, null, null)) {
 *   service.call();
 * }
 * WeftTesting.assertNoLeakedContext();
 * assertThat(WeftTesting.recorded(baseId).render()).isEqualTo("...");
 * }</pre>
 */
public final class WeftTesting {
  private WeftTesting() {}

  /** Switches tracing on and keeps every span in this JVM's memory; see {@link #recorded}. */
  public static void recordInMemory() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
  }

  /** Every span of a trace recorded in memory so far, after waiting for the queue to drain. */
  public static TraceTree recorded(String baseId) throws Exception {
    Weft.flush();
    return TraceTree.read("memory://", baseId);
  }

  /** The base_ids of the traces recorded in memory so far. */
  public static List<String> recordedTraces() throws Exception {
    Weft.flush();
    try (var r = Weft.reader("memory://")) {
      return r.list(false).stream().map(s -> s.baseId()).toList();
    }
  }

  /**
   * Fails when the current thread still has a trace context: a scope not closed, an advice that did
   * not pop its span, an executor thread that kept a caller's trace.
   */
  public static void assertNoLeakedContext() {
    if (Trace.active()) {
      throw new AssertionError(
          "a trace context leaked on thread "
              + Thread.currentThread().getName()
              + ": base_id "
              + Trace.baseId()
              + ", current span "
              + Trace.currentSpanId());
    }
  }
}
