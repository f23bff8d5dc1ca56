package dev.weft.internal.tracing;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.WeftConfig;
import dev.weft.internal.context.Clock;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.spi.TraceCategory;

/**
 * A connection checkout from a pool (category {@code pooling}), shared by the pool integrations
 * (HikariCP, the Tomcat JDBC pool, commons-pool2, the MongoDB driver's pool).
 *
 * <p>Recorded after the fact: the checkout is timed with two {@code System.nanoTime()} reads, and a
 * span named {@code pooling} is recorded only when the wait is at least {@code
 * weft.pooling.min_wait_micros} (default 0: always). Start info: {@code {"pooling": {"pool":
 * <name>, "wait_micros": N}}}. A failed checkout is always recorded, with {@code etype}/{@code
 * message}.
 *
 * <p>Design note: because the span is opened after the wait, spans recorded during the checkout (a
 * new connection's first commands) appear beside it rather than under it.
 */
public final class Checkout {
  private Checkout() {}

  /** Names the pool a checkout came from; each integration has one, as a constant. */
  public interface PoolName {
    String of(Object source);
  }

  private static volatile WeftConfig seen;
  private static volatile long minWaitNanos;

  static final InfoShape SHAPE =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("pooling");
          w.field("pool", r.a);
          w.field("wait_micros", r.n);
          w.endObject();
        }

        @Override
        public String category() {
          return "pooling";
        }
      };

  /** The start of a checkout: a tick, or 0 when this thread is not traced. */
  public static long begin() {
    return ThreadContext.active(TraceCategory.POOLING) == null ? 0L : Clock.tick();
  }

  /**
   * A checkout that returned (or failed with {@code failure}); {@code source} is what {@code name}
   * reads the pool's name from. Never throws.
   */
  public static void end(long t0, Object source, Throwable failure, PoolName name) {
    if (t0 == 0L) {
      return;
    }
    try {
      long now = Clock.tick();
      long wait = now - t0;
      if (failure == null && wait < minWaitNanos()) {
        return;
      }
      ThreadContext c = ThreadContext.active(TraceCategory.POOLING);
      if (c == null) {
        return;
      }
      SpanRecord r = c.push("pooling", SHAPE);
      if (r == null) {
        return;
      }
      r.startTick = t0;
      r.n = wait / 1_000L;
      r.a = name.of(source);
      if (failure != null) {
        Spans.error(r, failure);
      }
      c.pop(r);
    } catch (Throwable e) {
      Spans.failed(e); // tracing never breaks a checkout
    }
  }

  static long minWaitNanos() {
    WeftConfig now = WeftRuntime.config();
    if (now != seen) {
      long micros = Math.max(0L, now.number(Key.POOLING_MIN_WAIT_MICROS));
      minWaitNanos = micros * 1_000L;
      seen = now;
    }
    return minWaitNanos;
  }
}
