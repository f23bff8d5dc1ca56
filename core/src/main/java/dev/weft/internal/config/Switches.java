package dev.weft.internal.config;

import dev.weft.spi.TraceCategory;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The flags that woven join points test before doing anything. Each category flag already includes
 * the master switch, so a disabled join point costs one volatile read and one branch. There is one
 * flag per row of {@link TraceCategory}, because an {@code if()} pointcut reads a static field.
 *
 * <p>A category flag is on when the category is switched on for the process ({@link #global}), or
 * when a trace that asked for the category for itself (a signed {@code X-Weft-Trace-Categories}
 * header, {@code Profile.start(key, categories...)}) is running on some thread of this process: a
 * count per category of the contexts that hold such a request ({@link #hold(int)}). The handler
 * behind the flag then records only for a context whose trace asked for the category, or when it is
 * on globally ({@code ThreadContext.active(TraceCategory)}), so one deep request switches the
 * category on for itself only, and the join points of every other request cost what they cost with
 * the category switched on and the request untraced.
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

  /**
   * The categories switched on for the whole process, one bit per {@link TraceCategory#ordinal()}
   * ({@code 1 << ordinal}), the master switch folded in: the value of {@code weft.trace.<category>}
   * without the requests of single traces.
   */
  public static volatile int global;

  private static final TraceCategory[] CATEGORIES = TraceCategory.values();

  /** Per category, how many contexts hold a request for it now ({@link Hold}). */
  private static final AtomicIntegerArray REQUESTED = new AtomicIntegerArray(CATEGORIES.length);

  /** Serialises the writes of the category flags: the last writer has seen every count. */
  private static final Object FLAGS = new Object();

  /** The master switch as the last {@link #apply} set it; guarded by {@link #FLAGS}. */
  private static boolean master;

  private Switches() {}

  static {
    dev.weft.internal.WeftRuntime.ensureStarted();
  }

  /** Applies a configuration snapshot to the flags. */
  public static void apply(WeftConfig c) {
    boolean on = c.bool(Key.ENABLED);
    int g = 0;
    for (TraceCategory cat : CATEGORIES) {
      if (on && c.bool(Key.of(cat))) {
        g |= 1 << cat.ordinal();
      }
    }
    synchronized (FLAGS) {
      master = on;
      global = g;
      for (TraceCategory cat : CATEGORIES) {
        set(cat, on && ((g & (1 << cat.ordinal())) != 0 || REQUESTED.get(cat.ordinal()) > 0));
      }
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

  /**
   * Whether the category with this {@link #index(String)} is switched on for the whole process, not
   * counting the requests of single traces; -1 follows the master switch.
   */
  public static boolean global(int index) {
    return index < 0 ? enabled : (global & (1 << index)) != 0;
  }

  /**
   * Takes a hold on the categories of {@code mask} ({@code 1 << ordinal} bits): their flags stay on
   * until the hold is released, while {@code weft.enabled} is true. Null for an empty mask. Called
   * when a context starts carrying a trace that asked for categories; each hold is released once.
   */
  public static Hold hold(int mask) {
    if (mask == 0) {
      return null;
    }
    boolean recompute = false;
    for (TraceCategory cat : CATEGORIES) {
      int i = cat.ordinal();
      if ((mask & (1 << i)) != 0) {
        // A flag that is still off is written again, under the lock: the count may have just
        // gone up from 0 on another thread that has not written the flag yet.
        recompute |= REQUESTED.incrementAndGet(i) == 1 || !on(i);
      }
    }
    if (recompute) {
      recompute();
    }
    return new Hold(mask);
  }

  /** How many contexts hold a request for this category now (for tests and diagnostics). */
  public static int requested(TraceCategory cat) {
    return REQUESTED.get(cat.ordinal());
  }

  private static void release(int mask) {
    boolean recompute = false;
    for (TraceCategory cat : CATEGORIES) {
      int i = cat.ordinal();
      if ((mask & (1 << i)) != 0) {
        recompute |= REQUESTED.decrementAndGet(i) == 0;
      }
    }
    if (recompute) {
      recompute();
    }
  }

  private static void recompute() {
    synchronized (FLAGS) {
      boolean on = master;
      int g = global;
      for (TraceCategory cat : CATEGORIES) {
        int i = cat.ordinal();
        set(cat, on && ((g & (1 << i)) != 0 || REQUESTED.get(i) > 0));
      }
    }
  }

  /** A context's hold on the categories its trace asked for; {@link #release()} once. */
  public static final class Hold {
    private final int mask;
    private boolean released;

    Hold(int mask) {
      this.mask = mask;
    }

    /** The categories held, {@code 1 << ordinal} bits. */
    public int mask() {
      return mask;
    }

    /** Gives the hold back; later calls do nothing. */
    public void release() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      Switches.release(mask);
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
