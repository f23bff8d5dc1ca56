package dev.weft.internal.config;

import dev.weft.spi.TraceCategory;

/**
 * The flags that woven join points test before doing anything. Each category flag already includes
 * the master switch, so a disabled join point costs one volatile read and one branch. There is one
 * flag per row of {@link TraceCategory}, because an {@code if()} pointcut reads a static field.
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

  private static final TraceCategory[] CATEGORIES = TraceCategory.values();

  private Switches() {}

  static {
    dev.weft.internal.WeftRuntime.ensureStarted();
  }

  /** Applies a configuration snapshot to the flags. */
  public static void apply(WeftConfig c) {
    boolean on = c.bool(Key.ENABLED);
    for (TraceCategory cat : TraceCategory.values()) {
      set(cat, on && c.bool(Key.of(cat)));
    }
    sqlParams = c.bool(Key.SQL_PARAMS);
    asyncSpans = c.bool(Key.ASYNC_SPANS);
    httpQueryValues = c.bool(Key.HTTP_QUERY_VALUES);
    enabled = on;
  }

  /** Sets a category's flag (the caller has folded in the master switch). */
  static void set(TraceCategory cat, boolean on) {
    switch (cat) {
      case ANNOTATED -> annotated = on;
      case SERVLET -> servlet = on;
      case HTTP -> http = on;
      case MONGODB -> mongodb = on;
      case REDIS -> redis = on;
      case SQL -> sql = on;
      case POOLING -> pooling = on;
      case ASYNC -> async = on;
    }
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
    TraceCategory c = TraceCategory.byName(name);
    return c == null ? -1 : c.ordinal();
  }

  /** Whether the category with this {@link #index(String)} is on; -1 follows the master switch. */
  public static boolean on(int index) {
    if (index < 0) {
      return enabled;
    }
    return switch (CATEGORIES[index]) {
      case ANNOTATED -> annotated;
      case SERVLET -> servlet;
      case HTTP -> http;
      case MONGODB -> mongodb;
      case REDIS -> redis;
      case SQL -> sql;
      case POOLING -> pooling;
      case ASYNC -> async;
    };
  }
}
