package dev.weft.testapp.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The posting time of a message: wall-clock milliseconds, strictly increasing within the process.
 * Every store lists a queue's messages by posting time; messages of one batch are posted within the
 * same millisecond, and without this their order would fall to their random ids.
 */
final class PostClock {
  private static final AtomicLong LAST = new AtomicLong();

  private PostClock() {}

  /** {@code System.currentTimeMillis()}, or one more than the last value handed out if larger. */
  static long next() {
    long now = System.currentTimeMillis();
    while (true) {
      long last = LAST.get();
      long next = Math.max(now, last + 1);
      if (LAST.compareAndSet(last, next)) {
        return next;
      }
    }
  }
}
