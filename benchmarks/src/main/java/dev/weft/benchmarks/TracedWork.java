package dev.weft.benchmarks;

import dev.weft.annotations.Traced;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The woven side: the same body as {@link PlainWork#work()}, annotated {@code @Traced}, so ajc
 * weaves weft-aspects' {@code TracedAspect} around it when the benchmarks are built.
 */
public class TracedWork {
  private long counter;

  /** Increments and returns a counter, as {@link PlainWork#work()} does. */
  @Traced(name = "work")
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public long work() {
    return ++counter;
  }

  /** Calls so far. */
  public long count() {
    return counter;
  }
}
