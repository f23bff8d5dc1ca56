package dev.weft.internal.context;

import dev.weft.internal.RateLimiter;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;

/**
 * The trace context of one thread: the trace's base_id, the inherited parent id, the HMAC key that
 * authorised the trace, the categories the trace asked for itself, and a reusable stack of open
 * spans. One instance per thread, reused across traces; {@link #baseId} {@code == null} means "not
 * traced".
 */
public final class ThreadContext {
  private static final int MAX_DEPTH = 256;
  private static final ThreadLocal<ThreadContext> CURRENT = new ThreadLocal<>();

  /**
   * How many contexts of the process are in a trace ({@link #baseId} not null). While none is, a
   * join point on an untraced thread reads this one shared counter instead of its thread's {@link
   * #CURRENT} (a ThreadLocal lookup: several nanoseconds, the larger part of the enabled-untraced
   * cost). The counter changes when a trace begins or ends on a thread, never per span. It is only
   * a shortcut for this thread's own reads: a thread that begins a trace counts itself first, so it
   * never reads 0 while its own context is in a trace. A context whose thread dies inside a trace
   * stays counted, which costs untraced threads their shortcut, never a span.
   */
  private static final java.util.concurrent.atomic.AtomicInteger IN_TRACE =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The trace's base_id; null when this context is not in a trace. Set by {@link #base}. */
  private String baseId;

  public String parentText;
  public String hmacKey;

  /** Service name stamped on spans opened here; null = the process-wide {@code weft.service}. */
  public String service;

  /**
   * The rate limiter's hold on this trace's base_id while a request admitted from incoming headers
   * runs here; released when the trace ends on this thread. Null for traces begun otherwise.
   */
  public RateLimiter.Recent admission;

  /**
   * The categories this trace asked for itself (a signed {@code X-Weft-Trace-Categories} header,
   * {@code Profile.start(key, categories...)}), one bit per {@link TraceCategory#ordinal()}; 0 for
   * a trace that asked for none. Set with {@link #request(int)}.
   */
  public int categories;

  /** This context's hold on the flags of {@link #categories}; released when the trace ends here. */
  private Switches.Hold hold;

  private SpanRecord[] stack = new SpanRecord[8];
  private int depth;

  /**
   * This thread's lease on the collection queue's byte budget: spans popped here are charged to it,
   * so they do not update a shared counter each. Given back when the trace ends on this context.
   */
  private final dev.weft.internal.pipeline.RingBuffer.Credit credit =
      new dev.weft.internal.pipeline.RingBuffer.Credit();

  /**
   * Gives a context's credit back once the context is unreachable: a thread that ends inside a
   * trace (its scope never closed) would otherwise keep its lease for good, and enough of them
   * would spend the whole budget. The action holds the credit only, not the context.
   */
  private static final class Reclaim {
    static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
  }

  /** Whether this context's credit is registered with {@link Reclaim}: at its first span. */
  private boolean reclaimable;

  private ThreadContext() {}

  /** The active context of this thread, or {@code null} when the thread is not in a trace. */
  public static ThreadContext active() {
    if (IN_TRACE.get() == 0) {
      return null;
    }
    ThreadContext c = CURRENT.get();
    return c != null && c.baseId != null ? c : null;
  }

  /**
   * The active context of this thread when it records spans of {@code category}: the category is
   * switched on for the process, or this context's trace asked for it; otherwise {@code null}. The
   * start check of the handlers behind a category flag, which can be on for another trace only.
   */
  public static ThreadContext active(TraceCategory category) {
    if (IN_TRACE.get() == 0) {
      return null;
    }
    ThreadContext c = CURRENT.get();
    return c != null && c.baseId != null && c.on(category.ordinal()) ? c : null;
  }

  /** The base_id of this context's trace, or null when it is not in a trace. */
  public String baseId() {
    return baseId;
  }

  /**
   * Sets {@link #baseId}, counting the context in {@link #IN_TRACE} when it enters a trace (before
   * the id is set) and out when it leaves one (after).
   */
  private void base(String id) {
    String was = baseId;
    if (was == null && id != null) {
      IN_TRACE.incrementAndGet();
      baseId = id;
    } else if (was != null && id == null) {
      baseId = null;
      IN_TRACE.decrementAndGet();
    } else {
      baseId = id;
    }
  }

  /** How many contexts of the process are in a trace now (for tests and diagnostics). */
  public static int inTrace() {
    return IN_TRACE.get();
  }

  /**
   * Whether this context records spans of the category with this {@link Switches#index(String)} (-1
   * follows the master switch): on for the process, or asked for by this context's trace.
   */
  public boolean on(int index) {
    if (index < 0) {
      return Switches.enabled;
    }
    int bit = 1 << index;
    return (Switches.global & bit) != 0 || ((categories & bit) != 0 && Switches.enabled);
  }

  /**
   * Makes this context's trace ask for the categories of {@code mask} ({@code 1 << ordinal} bits)
   * for itself, replacing what it asked for before; their flags stay on while it does. The hold is
   * given back when the trace ends on this context or the state is restored.
   */
  public void request(int mask) {
    releaseHold();
    categories = mask;
    hold = Switches.hold(mask);
  }

  /**
   * This context's hold on the flags of its {@link #categories}, or null when it asked for none.
   */
  public Switches.Hold hold() {
    return hold;
  }

  /** This thread's context object, created on first use (never null). */
  public static ThreadContext forThread() {
    ThreadContext c = CURRENT.get();
    if (c == null) {
      c = new ThreadContext();
      CURRENT.set(c);
    }
    return c;
  }

  /** Begins a trace on this context, discarding whatever it held. */
  public void begin(String baseId, String parentId, String hmacKey) {
    releaseAdmission();
    releaseHold();
    base(baseId);
    this.parentText = parentId == null ? baseId : parentId;
    this.hmacKey = hmacKey;
    this.service = null;
    clearStack();
  }

  /** Ends the trace on this context. Open spans are abandoned (not recorded). */
  public void end() {
    credit.giveBack();
    releaseAdmission();
    releaseHold();
    base(null);
    parentText = null;
    hmacKey = null;
    service = null;
    clearStack();
  }

  private void releaseAdmission() {
    RateLimiter.Recent a = admission;
    if (a != null) {
      admission = null;
      a.release();
    }
  }

  private void releaseHold() {
    Switches.Hold h = hold;
    categories = 0;
    if (h != null) {
      hold = null;
      h.release();
    }
  }

  private void clearStack() {
    for (int i = 0; i < depth; i++) {
      stack[i].clearInfo();
      stack[i].extra = null;
    }
    depth = 0;
  }

  public int depth() {
    return depth;
  }

  /**
   * Opens a span as a child of the current one and returns its record, or {@code null} when the
   * stack is too deep. The caller fills in its category slots.
   */
  public SpanRecord push(String name, InfoShape shape) {
    int d = depth;
    if (d >= MAX_DEPTH) {
      return null;
    }
    if (d == stack.length) {
      stack = java.util.Arrays.copyOf(stack, d * 2);
    }
    SpanRecord r = stack[d];
    if (r == null) {
      r = new SpanRecord();
      r.owner = this;
      stack[d] = r;
    } else {
      r.clearInfo();
    }
    r.name = name;
    r.shape = shape;
    r.baseId = baseId;
    r.service = service;
    if (d == 0) {
      r.parentText = parentText;
    } else {
      SpanRecord p = stack[d - 1];
      r.parentText = null;
      r.parentHi = p.idHi;
      r.parentLo = p.idLo;
    }
    r.idHi = Ids.nextHi();
    r.idLo = Ids.nextLo();
    depth = d + 1;
    r.startTick = Clock.tick();
    return r;
  }

  /**
   * Closes {@code r}, which must be the innermost open span, and hands it to the collector. A span
   * that is not on top (a scope closed out of order) closes the spans above it unrecorded.
   */
  public void pop(SpanRecord r) {
    long stop = Clock.tick();
    int d = depth;
    while (d > 0 && stack[d - 1] != r) {
      d--;
    }
    if (d == 0) {
      return; // not open here: the trace was ended or restarted meanwhile
    }
    r.stopTick = stop;
    depth = d - 1;
    if (!reclaimable) {
      // Only a context that records spans leases budget; a context that never does starts no
      // cleaner thread.
      Reclaim.CLEANER.register(this, credit::giveBack);
      reclaimable = true;
    }
    WeftRuntime.pipeline().offer(r, credit);
  }

  /**
   * Takes {@code r} (and any span opened above it) off this thread's stack without recording it,
   * and returns a copy that lives on its own: a span that ends on another thread (an async servlet,
   * an asynchronous HTTP call). Finish the copy with {@link #finishDetached(SpanRecord)}. Returns
   * null when {@code r} is not open here.
   */
  public SpanRecord detach(SpanRecord r) {
    int d = depth;
    while (d > 0 && stack[d - 1] != r) {
      d--;
    }
    if (d == 0) {
      return null;
    }
    SpanRecord copy = new SpanRecord();
    copy.copyFrom(r);
    depth = d - 1;
    return copy;
  }

  /** Stops a span returned by {@link #detach(SpanRecord)} now, from any thread, and records it. */
  public static void finishDetached(SpanRecord detached) {
    detached.stopTick = Clock.tick();
    WeftRuntime.pipeline().offer(detached);
  }

  /** Closes {@code r} on the current thread's context; see {@link #pop(SpanRecord)}. */
  public static void popCurrent(SpanRecord r) {
    ThreadContext c = r.owner;
    if (c != null) {
      c.pop(r);
    }
  }

  /** The innermost open span, or {@code null}. */
  public SpanRecord top() {
    return depth == 0 ? null : stack[depth - 1];
  }

  /** The id of the current span as text (the base's parent when no span is open). */
  public String currentIdText() {
    SpanRecord t = top();
    return t == null ? parentText : t.idText();
  }

  /** Installs a captured state on this thread; returns the previous state to put back later. */
  public static Saved install(String baseId, String parentId, String hmacKey) {
    ThreadContext c = forThread();
    Saved saved = new Saved(c);
    c.base(baseId);
    c.parentText = parentId;
    c.hmacKey = hmacKey;
    c.service = null;
    c.admission = null;
    c.categories = 0;
    c.hold = null;
    c.stack = new SpanRecord[8];
    c.depth = 0;
    return saved;
  }

  /** A thread's context state, put back by {@link #restore()}. */
  public static final class Saved {
    private final ThreadContext ctx;
    private final String baseId;
    private final String parentText;
    private final String hmacKey;
    private final String service;
    private final RateLimiter.Recent admission;
    private final int categories;
    private final Switches.Hold hold;
    private final SpanRecord[] stack;
    private final int depth;

    Saved(ThreadContext c) {
      ctx = c;
      baseId = c.baseId;
      parentText = c.parentText;
      hmacKey = c.hmacKey;
      service = c.service;
      admission = c.admission;
      categories = c.categories;
      hold = c.hold;
      stack = c.stack;
      depth = c.depth;
    }

    public void restore() {
      // The installed state's spans are done: what this thread leased goes back to the budget (a
      // pool thread, or a thread that ends after this, would otherwise keep it).
      ctx.credit.giveBack();
      if (ctx.admission != admission) {
        ctx.releaseAdmission(); // the trace installed since ended with its scope
      }
      ctx.admission = admission;
      if (ctx.hold != hold) {
        ctx.releaseHold(); // the trace installed since asked for categories: it ends here
      }
      ctx.hold = hold;
      ctx.categories = categories;
      ctx.base(baseId);
      ctx.parentText = parentText;
      ctx.hmacKey = hmacKey;
      ctx.service = service;
      ctx.stack = stack;
      ctx.depth = depth;
    }
  }
}
