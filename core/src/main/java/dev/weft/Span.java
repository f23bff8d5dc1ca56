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
  // Design note: stack records are reused, so a handle remembers its span's id and acts only while
  // the record still holds that span: a stale handle (closed twice, or abandoned by an
  // out-of-order close) can then never end or annotate a later span that reused the slot.
  private final long idHi;
  private final long idLo;
  private boolean closed;

  Span(ThreadContext ctx, SpanRecord record) {
    this.ctx = ctx;
    this.record = record;
    this.idHi = record == null ? 0 : record.idHi;
    this.idLo = record == null ? 0 : record.idLo;
  }

  private boolean live() {
    return record != null && !closed && record.idHi == idHi && record.idLo == idLo;
  }

  /** Whether this span records anything. */
  public boolean isRecording() {
    return record != null;
  }

  /** Adds a member to the start event's info. */
  @SuppressWarnings("unchecked")
  public Span info(String key, String value) {
    if (live()) {
      if (!(record.extra instanceof Map)) {
        record.extra = new LinkedHashMap<String, String>();
      }
      ((Map<String, String>) record.extra).put(key, value);
    }
    return this;
  }

  /** Records an exception as the stop event's {@code etype}/{@code message}. */
  public Span error(Throwable t) {
    if (t != null && live()) {
      record.error(t);
    }
    return this;
  }

  /** This span's id (a UUID) or null when not recording. */
  public String id() {
    return record == null ? null : dev.weft.internal.context.Ids.format(idHi, idLo);
  }

  @Override
  public void close() {
    if (live()) {
      closed = true;
      ctx.pop(record);
    }
  }
}
