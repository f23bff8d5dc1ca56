package dev.weft.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code weft.max_traces_per_second}: an optional cap on the <em>new</em> traces this process
 * starts per second. OSProfiler has no such cap, and by default ({@code 0}) neither has Weft: every
 * validly signed request is traced.
 *
 * <p>The cap never cuts a trace off halfway: a request whose base_id this process is tracing now,
 * or has started or finished within the last {@link #RECENT_NANOS} (10 s), is always admitted and
 * does not count against the cap — a trace that loops back into a service, or calls it several
 * times, stays whole. For that the limiter remembers recent base_ids (whatever the cap, so that a
 * cap switched on at runtime already knows the traces in flight), at most {@link #MAX_RECENT} of
 * them, the least recently seen forgotten first; a base_id over 128 characters is remembered by its
 * SHA-256, so the set stays within about a megabyte.
 *
 * <p>New traces are counted in a fixed one-second window: one {@code long} holding the window's
 * second in the high bits and its count in the low 24, updated by CAS, so concurrent starts never
 * exceed the cap within a window. Refusals are counted ({@link #rejected()}, JMX {@code
 * TracesRateLimited}) and logged at most once a minute.
 */
public final class RateLimiter {
  /** How long a base_id counts as this process's own after its last request started or ended. */
  static final long RECENT_NANOS = 10_000_000_000L;

  /** The most base_ids remembered. */
  static final int MAX_RECENT = 4096;

  static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private static final int MAX_KEPT_ID_LENGTH = 128;
  private static final long COUNT_MASK = (1L << 24) - 1;
  private static final System.Logger LOG = System.getLogger("dev.weft");

  private final LongSupplier nanoTime;
  private final AtomicLong state = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong rejected = new AtomicLong();
  private volatile long limit;

  /** base_id (or its digest) to its last activity; access order, guarded by itself. */
  private final LinkedHashMap<String, Recent> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
          return size() > MAX_RECENT;
        }
      };

  private final Object logLock = new Object();
  private long lastLogNanos;
  private boolean logged;
  private long refusedSinceLog;

  /** What an admitted request holds until it ends: its base_id's entry in the recent set. */
  public static final class Recent {
    private final RateLimiter owner;
    private long lastNanos;
    private int inFlight;

    Recent(RateLimiter owner) {
      this.owner = owner;
    }

    /** The request of this admission has ended on this process. */
    public void release() {
      owner.release(this);
    }
  }

  RateLimiter(long limit) {
    this(limit, System::nanoTime);
  }

  RateLimiter(long limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
  }

  void limit(long l) {
    limit = l;
  }

  long limit() {
    return limit;
  }

  /**
   * Admits a request of trace {@code baseId}, or refuses it (null) when it would be a new trace
   * over the cap. The caller releases what it got when the request ends.
   */
  Recent admit(String baseId) {
    long now = nanoTime.getAsLong();
    String key = key(baseId);
    synchronized (recent) {
      Recent r = recent.get(key);
      // A trace this process already carries is never cut off and not counted; with no cap, a new
      // trace is admitted in the same look-up.
      if (limit <= 0 || r != null && (r.inFlight > 0 || now - r.lastNanos < RECENT_NANOS)) {
        return admitted(r != null ? r : remember(key), now);
      }
    }
    if (!tryAcquire(now)) {
      refused(now);
      return null;
    }
    synchronized (recent) {
      Recent r = recent.get(key);
      return admitted(r != null ? r : remember(key), now);
    }
  }

  /** A new entry for {@code key}; the caller holds the set's lock. */
  private Recent remember(String key) {
    Recent r = new Recent(this);
    recent.put(key, r);
    return r;
  }

  private static Recent admitted(Recent r, long now) {
    r.inFlight++;
    r.lastNanos = now;
    return r;
  }

  private void release(Recent r) {
    long now = nanoTime.getAsLong();
    synchronized (recent) {
      if (r.inFlight > 0) {
        r.inFlight--;
      }
      r.lastNanos = now;
    }
  }

  private boolean tryAcquire(long now) {
    long lim = limit;
    if (lim <= 0) {
      return true;
    }
    long second = Math.floorDiv(now, 1_000_000_000L);
    while (true) {
      long s = state.get();
      long win = s >> 24;
      long count = s & COUNT_MASK;
      long next;
      if (s == Long.MIN_VALUE || win != second) {
        next = (second << 24) | 1;
      } else if (count < lim && count < COUNT_MASK) {
        next = s + 1;
      } else {
        return false;
      }
      if (state.compareAndSet(s, next)) {
        return true;
      }
    }
  }

  private void refused(long now) {
    rejected.incrementAndGet();
    long n;
    boolean first;
    synchronized (logLock) {
      refusedSinceLog++;
      if (logged && now - lastLogNanos < LOG_INTERVAL_NANOS) {
        return;
      }
      first = !logged;
      logged = true;
      lastLogNanos = now;
      n = refusedSinceLog;
      refusedSinceLog = 0;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "weft: weft.max_traces_per_second="
            + limit
            + " refused "
            + n
            + (n == 1 ? " new trace" : " new traces")
            + (first ? "" : " since its last message")
            + " (logged at most once a minute; JMX TracesRateLimited counts every refusal);"
            + " requests of traces already running here are never refused");
  }

  long rejected() {
    return rejected.get();
  }

  /** How many base_ids are remembered now (tests). */
  int remembered() {
    synchronized (recent) {
      return recent.size();
    }
  }

  private static String key(String baseId) {
    if (baseId.length() <= MAX_KEPT_ID_LENGTH) {
      return baseId;
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(baseId.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder(72).append('#').append(baseId.length()).append(':');
      for (byte x : d) {
        b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException e) {
      return baseId.substring(0, MAX_KEPT_ID_LENGTH) + "#" + baseId.hashCode();
    }
  }
}
