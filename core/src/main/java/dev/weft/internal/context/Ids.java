package dev.weft.internal.context;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Span and trace ids: 128 random bits shaped as a UUID4, held as two longs and formatted as text
 * only when needed (off the application thread, or for an outgoing header).
 */
public final class Ids {
  private Ids() {}

  /** High 64 bits of a fresh UUID4 (version nibble set). */
  public static long nextHi() {
    return (ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
  }

  /** Low 64 bits of a fresh UUID4 (IETF variant set). */
  public static long nextLo() {
    return (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
  }

  public static String format(long hi, long lo) {
    return new UUID(hi, lo).toString();
  }

  /** A fresh UUID4 as text. */
  public static String newId() {
    return format(nextHi(), nextLo());
  }
}
