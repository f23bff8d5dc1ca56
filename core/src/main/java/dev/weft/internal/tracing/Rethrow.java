package dev.weft.internal.tracing;

/**
 * Rethrows the application's exception unchanged from around advice, whose Java signature cannot
 * declare the checked exceptions of every join point it applies to.
 */
public final class Rethrow {
  private Rethrow() {}

  /**
   * Throws {@code t} as is; declared to return so callers can write {@code throw Rethrow.as(t)}.
   */
  public static RuntimeException as(Throwable t) {
    Rethrow.<RuntimeException>sneaky(t);
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
