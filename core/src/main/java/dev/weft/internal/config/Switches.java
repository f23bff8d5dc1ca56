package dev.weft.internal.config;

/**
 * The flags that woven join points test before doing anything. Each category flag already includes
 * the master switch, so a disabled join point costs one volatile read and one branch.
 *
 * <p>Design note: the fields are {@code volatile} on purpose. A plain static flag is hoisted out of
 * hot loops by the JIT, and a runtime toggle would then never be seen; on x86 a volatile read costs
 * the same as a plain one.
 */
public final class Switches {
  /** Master switch, {@code weft.enabled}. */
  public static volatile boolean enabled;

  public static volatile boolean annotated;
  public static volatile boolean servlet;
  public static volatile boolean http;
  public static volatile boolean mongodb;
  public static volatile boolean redis;
  public static volatile boolean sql;
  public static volatile boolean pooling;
  public static volatile boolean async;

  /** Record a span around each task handed to another thread ({@code weft.async.spans}). */
  public static volatile boolean asyncSpans;

  /** Record SQL bind parameters ({@code weft.sql.params}). */
  public static volatile boolean sqlParams;

  /**
   * Record the values of query parameters in servlet and HTTP spans ({@code
   * weft.http.query_values}); off, each value is recorded as {@code ?}.
   */
  public static volatile boolean httpQueryValues;

  private Switches() {}

  static {
    dev.weft.internal.WeftRuntime.ensureStarted();
  }

  /** Applies a configuration snapshot to the flags. */
  public static void apply(WeftConfig c) {
    boolean on = c.bool(Key.ENABLED);
    annotated = on && c.bool(Key.TRACE_ANNOTATED);
    servlet = on && c.bool(Key.TRACE_SERVLET);
    http = on && c.bool(Key.TRACE_HTTP);
    mongodb = on && c.bool(Key.TRACE_MONGODB);
    redis = on && c.bool(Key.TRACE_REDIS);
    sql = on && c.bool(Key.TRACE_SQL);
    pooling = on && c.bool(Key.TRACE_POOLING);
    async = on && c.bool(Key.TRACE_ASYNC);
    sqlParams = c.bool(Key.SQL_PARAMS);
    asyncSpans = c.bool(Key.ASYNC_SPANS);
    httpQueryValues = c.bool(Key.HTTP_QUERY_VALUES);
    enabled = on;
  }

  /** Whether a category (by its name) is switched on now; unknown categories follow the master. */
  public static boolean category(String name) {
    return on(index(name));
  }

  /**
   * A category's index for {@link #on(int)}, so code that knows its category once (per join point)
   * does not compare strings per call; -1 for an unknown category.
   */
  public static int index(String name) {
    switch (name) {
      case "annotated":
        return 0;
      case "servlet":
        return 1;
      case "http":
        return 2;
      case "mongodb":
        return 3;
      case "redis":
        return 4;
      case "sql":
        return 5;
      case "pooling":
        return 6;
      case "async":
        return 7;
      default:
        return -1;
    }
  }

  /** Whether the category with this {@link #index(String)} is on; -1 follows the master switch. */
  public static boolean on(int index) {
    switch (index) {
      case 0:
        return annotated;
      case 1:
        return servlet;
      case 2:
        return http;
      case 3:
        return mongodb;
      case 4:
        return redis;
      case 5:
        return sql;
      case 6:
        return pooling;
      case 7:
        return async;
      default:
        return enabled;
    }
  }
}
