package dev.weft.internal.context;

import java.time.Instant;

/**
 * Wall-clock microseconds from one anchor plus {@link System#nanoTime()} deltas, so the hot path
 * reads one monotonic counter and allocates nothing.
 */
public final class Clock {
  private static final long ANCHOR_EPOCH_MICROS;
  private static final long ANCHOR_NANOS;

  static {
    Instant now = Instant.now();
    ANCHOR_NANOS = System.nanoTime();
    ANCHOR_EPOCH_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private Clock() {}

  /** A monotonic reading, to be turned into wall-clock time with {@link #epochMicros(long)}. */
  public static long tick() {
    return System.nanoTime();
  }

  public static long epochMicros(long tick) {
    return ANCHOR_EPOCH_MICROS + (tick - ANCHOR_NANOS) / 1_000L;
  }
}
