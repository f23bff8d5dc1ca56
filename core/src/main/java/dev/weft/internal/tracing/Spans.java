package dev.weft.internal.tracing;

import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way an integration's advice ends a span: {@code end(span, thrown)}. Every advice has the
 * same shape:
 *
 * <pre>{@code
 * SpanRecord s = JedisTracing.start(cmd);   // null when not traced
 * Throwable thrown = null;
 * try {
 *   return proceed(cmd);
 * } catch (Throwable t) {
 *   throw Rethrow.as(thrown = t);           // the application's exception, unchanged
 * } finally {
 *   Spans.end(s, thrown);                   // null-safe, never throws
 * }
 * }</pre>
 */
public final class Spans {
  private static final AtomicLong FAILURES = new AtomicLong();

  private Spans() {}

  /**
   * Records {@code thrown} (when not null) as the span's error and stops the span. Null-safe, and
   * never throws: a failure of Weft's own (a {@code getMessage()} that throws, a class that does
   * not link) is counted, never passed to the application.
   */
  public static void end(SpanRecord span, Throwable thrown) {
    if (span == null) {
      return;
    }
    if (thrown != null) {
      error(span, thrown);
    }
    try {
      ThreadContext.popCurrent(span);
    } catch (Throwable e) {
      FAILURES.incrementAndGet();
    }
  }

  /** Records an error on a span without stopping it; never throws. */
  public static void error(SpanRecord span, Throwable thrown) {
    try {
      span.error(thrown);
    } catch (Throwable e) {
      FAILURES.incrementAndGet();
      span.message = "";
    }
  }

  /**
   * Runs when an integration's own code failed at a join point (it then records nothing there);
   * counted, never thrown.
   */
  public static void failed(Throwable e) {
    FAILURES.incrementAndGet();
  }

  private static final java.util.Set<String> UNFIT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * As {@link #failed(Throwable)}, for the integration named {@code integration}: a {@code
   * LinkageError} there means the driver on the class path is a version the integration does not
   * fit (a method or class it calls is missing). That is logged once, naming the integration; its
   * join points then record nothing, and the application is not affected.
   */
  public static void failed(String integration, Throwable e) {
    FAILURES.incrementAndGet();
    if (e instanceof LinkageError && UNFIT.add(integration)) {
      System.getLogger("dev.weft")
          .log(
              System.Logger.Level.WARNING,
              "weft: the "
                  + integration
                  + " integration does not fit the driver version on the class path ("
                  + e
                  + "); its spans are not recorded. Supported versions: see Weft's README");
    }
  }

  /** Failures of Weft's own code at join points since start (none reached the application). */
  public static long failures() {
    return FAILURES.get();
  }
}
