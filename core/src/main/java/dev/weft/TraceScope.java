package dev.weft;

import dev.weft.internal.context.ThreadContext;

/**
 * A trace active on the current thread, from {@link Trace#begin}, {@link Trace#beginClient} or
 * {@link TraceSnapshot#restore()}. Closing it puts back what the thread had before.
 */
public final class TraceScope implements AutoCloseable {
  private final ThreadContext.Saved saved;
  private final String baseId;
  private boolean closed;

  TraceScope(ThreadContext.Saved saved, String baseId) {
    this.saved = saved;
    this.baseId = baseId;
  }

  /** The trace's base_id. */
  public String baseId() {
    return baseId;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      saved.restore();
    }
  }
}
