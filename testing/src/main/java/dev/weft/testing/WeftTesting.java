package dev.weft.testing;

import dev.weft.Trace;
import dev.weft.Weft;
import dev.weft.spi.TraceReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Helpers for tests of traced code: record spans in memory, read them back as a {@link TraceTree},
 * and fail on a trace context left on a thread.
 *
 * <pre>{@code
 * WeftTesting.recordInMemory();          // weft.enabled=true, weft.connection_string=memory://
 * WeftTesting.clearRecorded();           // each test from an empty store
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
   * Waits for the queue to drain, then drops every span recorded in memory so far ({@link
   * Weft#clearMemoryStore()}): the next test starts from an empty store.
   */
  public static void clearRecorded() {
    Weft.flush();
    Weft.clearMemoryStore();
  }

  /**
   * The JSON text of every event of a trace recorded in memory so far, in the order stored, after
   * waiting for the queue to drain; empty for an unknown trace.
   */
  public static List<String> recordedEvents(String baseId) throws Exception {
    Weft.flush();
    try (TraceReader r = Weft.reader("memory://")) {
      return r.events(baseId);
    }
  }

  /**
   * The JSON text of every event recorded in memory so far, of every trace, after waiting for the
   * queue to drain: trace by trace in the order of {@link #recordedTraces()}, each trace's events
   * in the order stored. For scans of everything recorded, e.g. that no secret was.
   */
  public static List<String> recordedEvents() throws Exception {
    Weft.flush();
    List<String> out = new ArrayList<>();
    try (TraceReader r = Weft.reader("memory://")) {
      for (TraceReader.TraceSummary t : r.list(false)) {
        out.addAll(r.events(t.baseId()));
      }
    }
    return out;
  }

  /**
   * A trace recorded in memory, once it is settled: every span that started has stopped, and every
   * span's parent is the base_id or a span of the trace ({@link TraceTree#awaitSettled}, at most 10
   * seconds).
   *
   * @throws AssertionError when its events do not fit together ({@link TraceTree#problems()})
   */
  public static TraceTree settled(String baseId) throws Exception {
    return settled(baseId, Set.of());
  }

  /**
   * As {@link #settled(String)}, for a trace some of whose spans hang below spans recorded
   * elsewhere: {@code externalParents} (e.g. the OSProfiler spans of a Python client, whose
   * requests this JVM served).
   *
   * @throws AssertionError when its events do not fit together ({@link TraceTree#problems()})
   */
  public static TraceTree settled(String baseId, Set<String> externalParents) throws Exception {
    TraceTree t =
        TraceTree.awaitSettled("memory://", baseId, externalParents, Duration.ofSeconds(10));
    if (!t.problems().isEmpty()) {
      throw new AssertionError(
          "the events of trace " + baseId + " do not fit together: " + t.problems());
    }
    return t;
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
