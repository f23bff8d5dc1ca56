package dev.weft;

import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A span opened by hand with {@link Trace#span(String)}; close it (try-with-resources) on the
 * thread that opened it. When no trace is active every method does nothing.
 *
 * <pre>{@code
 * try (Span s = Trace.span("rebalance")) {
 *   s.info("pool", pool.name());
 *   rebalance(pool);
 * }
 * }</pre>
 */
public final class Span implements AutoCloseable {
  static final Span NOOP = new Span(null, null);

  private final ThreadContext ctx;
  private final SpanRecord record;

  Span(ThreadContext ctx, SpanRecord record) {
    this.ctx = ctx;
    this.record = record;
  }

  /** Whether this span records anything. */
  public boolean isRecording() {
    return record != null;
  }

  /** Adds a member to the start event's info. */
  @SuppressWarnings("unchecked")
  public Span info(String key, String value) {
    if (record != null) {
      if (!(record.extra instanceof Map)) {
        record.extra = new LinkedHashMap<String, String>();
      }
      ((Map<String, String>) record.extra).put(key, value);
    }
    return this;
  }

  /** Records an exception as the stop event's {@code etype}/{@code message}. */
  public Span error(Throwable t) {
    if (record != null && t != null) {
      record.error(t);
    }
    return this;
  }

  /** This span's id (a UUID) or null when not recording. */
  public String id() {
    return record == null ? null : record.idText();
  }

  @Override
  public void close() {
    if (record != null) {
      ctx.pop(record);
    }
  }
}
