package dev.weft.internal.tracing;

import com.mongodb.internal.connection.InternalConnection;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.WeftConfig;
import dev.weft.internal.context.Clock;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import javax.management.ObjectName;
import org.apache.commons.pool2.impl.GenericObjectPool;

/**
 * The plain-Java side of {@code PoolingAspect}: connection checkout from HikariCP ({@code
 * HikariDataSource.getConnection()}), commons-pool2 ({@code GenericObjectPool.borrowObject}, which
 * JedisPool uses) and the MongoDB driver's connection pool.
 *
 * <p>Recorded after the fact: the checkout is timed with two {@code System.nanoTime()} reads, and a
 * span named {@code pooling} is recorded only when the wait is at least {@code
 * weft.pooling.min_wait_micros} (default 0: always). Start info: {@code {"pooling": {"pool":
 * <name>, "wait_micros": N}}}. A failed checkout is always recorded, with {@code etype}/{@code
 * message}.
 *
 * <p>Pool names: HikariCP's {@code poolName}; for commons-pool2 the {@code name} of the pool's JMX
 * name when it is registered (set it with {@code jmxNamePrefix}), else the pool's class name; for
 * MongoDB the server address the connection came from.
 *
 * <p>Design note: because the span is opened after the wait, spans recorded during the checkout (a
 * new connection's first commands) appear beside it rather than under it.
 */
public final class PoolingTracing {
  private PoolingTracing() {}

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
    return ThreadContext.active() == null ? 0L : Clock.tick();
  }

  static final int HIKARI = 1;
  static final int COMMONS_POOL = 2;
  static final int MONGO = 3;

  /** A HikariCP checkout that returned; {@code ds} is the {@code HikariDataSource}. */
  public static void hikari(long t0, Object ds, Throwable failure) {
    if (t0 != 0L) {
      record(t0, HIKARI, ds, failure);
    }
  }

  /** A commons-pool2 checkout that returned; {@code pool} is the {@code GenericObjectPool}. */
  public static void commonsPool(long t0, Object pool, Throwable failure) {
    if (t0 != 0L) {
      record(t0, COMMONS_POOL, pool, failure);
    }
  }

  /** A MongoDB driver checkout; {@code connection} is what the pool returned (null on failure). */
  public static void mongo(long t0, Object connection, Throwable failure) {
    if (t0 != 0L) {
      record(t0, MONGO, connection, failure);
    }
  }

  private static void record(long t0, int kind, Object source, Throwable failure) {
    try {
      long now = Clock.tick();
      long wait = now - t0;
      if (failure == null && wait < minWaitNanos()) {
        return;
      }
      ThreadContext c = ThreadContext.active();
      if (c == null) {
        return;
      }
      SpanRecord r = c.push("pooling", SHAPE);
      if (r == null) {
        return;
      }
      r.startTick = t0;
      r.n = wait / 1_000L;
      r.a = poolName(kind, source);
      if (failure != null) {
        r.error(failure);
      }
      c.pop(r);
    } catch (RuntimeException | LinkageError e) {
      // tracing never breaks a checkout
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

  /**
   * The pool's name. Design note: each driver's types are touched only in its own nested class, so
   * an application without, say, HikariCP never resolves a HikariCP class here.
   */
  static String poolName(int kind, Object source) {
    switch (kind) {
      case HIKARI:
        return HikariNames.name(source);
      case COMMONS_POOL:
        return CommonsPoolNames.name(source);
      default:
        return MongoNames.name(source);
    }
  }

  static final class HikariNames {
    private HikariNames() {}

    static String name(Object source) {
      String n = ((HikariDataSource) source).getPoolName();
      return n == null ? "HikariDataSource" : n;
    }
  }

  static final class CommonsPoolNames {
    private CommonsPoolNames() {}

    static String name(Object source) {
      ObjectName jmx = ((GenericObjectPool<?>) source).getJmxName();
      String n = jmx == null ? null : jmx.getKeyProperty("name");
      return n != null ? n : source.getClass().getSimpleName();
    }
  }

  static final class MongoNames {
    private MongoNames() {}

    static String name(Object source) {
      if (source instanceof InternalConnection) {
        return "mongodb://"
            + ((InternalConnection) source).getDescription().getServerAddress().toString();
      }
      return "mongodb";
    }
  }
}
