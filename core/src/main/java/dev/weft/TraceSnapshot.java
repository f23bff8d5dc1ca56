package dev.weft;

import dev.weft.internal.context.ThreadContext;
import java.util.concurrent.Callable;

/**
 * A trace captured on one thread with {@link Trace#capture()}, to continue on another. Spans made
 * under {@link #restore()} are children of the span that was current at capture time.
 *
 * <pre>{@code
 * TraceSnapshot snap = Trace.capture();
 * executor.execute(() -> {
 *   try (TraceScope s = snap.restore()) { work(); }
 * });
 * }</pre>
 */
public final class TraceSnapshot {
  static final TraceSnapshot EMPTY = new TraceSnapshot(null, null, null);

  private final String baseId;
  private final String parentId;
  private final String hmacKey;
  private final String service;
  private final int categories;

  TraceSnapshot(String baseId, String parentId, String hmacKey) {
    this(baseId, parentId, hmacKey, null, 0);
  }

  TraceSnapshot(String baseId, String parentId, String hmacKey, String service, int categories) {
    this.baseId = baseId;
    this.parentId = parentId;
    this.hmacKey = hmacKey;
    this.service = service;
    this.categories = categories;
  }

  /** Whether a trace was active at capture time. */
  public boolean isEmpty() {
    return baseId == null;
  }

  public String baseId() {
    return baseId;
  }

  /**
   * Makes the captured trace current on this thread until the scope is closed, with the categories
   * the trace asked for itself.
   */
  public TraceScope restore() {
    ThreadContext.Saved saved = ThreadContext.install(baseId, parentId, hmacKey);
    ThreadContext c = ThreadContext.forThread();
    c.service = service;
    if (categories != 0) {
      c.request(categories);
    }
    return new TraceScope(saved, baseId);
  }

  /** Wraps a task so that it runs in the captured trace. */
  public Runnable wrap(Runnable task) {
    if (isEmpty()) {
      return task;
    }
    return () -> {
      try (TraceScope s = restore()) {
        task.run();
      }
    };
  }

  /** Wraps a task so that it runs in the captured trace. */
  public <T> Callable<T> wrap(Callable<T> task) {
    if (isEmpty()) {
      return task;
    }
    return () -> {
      try (TraceScope s = restore()) {
        return task.call();
      }
    };
  }
}
