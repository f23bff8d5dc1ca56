package dev.weft.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weft.max_traces_per_second}: a fixed one-second window. The state is one {@code long}
 * holding the window's second in the high bits and its count in the low 24, updated by CAS, so
 * concurrent starts never exceed the limit within a window. A limit of 0 means no limit.
 */
final class RateLimiter {
  private static final long COUNT_MASK = (1L << 24) - 1;
  private final AtomicLong state = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile long limit;

  RateLimiter(long limit) {
    this.limit = limit;
  }

  void limit(long l) {
    limit = l;
  }

  boolean tryAcquire() {
    long lim = limit;
    if (lim <= 0) {
      return true;
    }
    long second = System.nanoTime() / 1_000_000_000L;
    while (true) {
      long s = state.get();
      long win = s >>> 24;
      long count = s & COUNT_MASK;
      long next;
      if (win != second) {
        next = (second << 24) | 1;
      } else if (count < lim && count < COUNT_MASK) {
        next = s + 1;
      } else {
        rejected.incrementAndGet();
        return false;
      }
      if (state.compareAndSet(s, next)) {
        return true;
      }
    }
  }

  long rejected() {
    return rejected.get();
  }
}
