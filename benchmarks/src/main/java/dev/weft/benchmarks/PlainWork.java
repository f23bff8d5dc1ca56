package dev.weft.benchmarks;

import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The unwoven twin of {@link TracedWork}: the same method body, but no {@code @Traced}, so the
 * weaver leaves it alone. Not inlined into the benchmark loop, so each call is a real call.
 */
public class PlainWork {
  private long counter;

  /** Increments and returns a counter: a body small enough that any overhead shows. */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public long work() {
    return ++counter;
  }

  /** Calls so far. */
  public long count() {
    return counter;
  }
}
