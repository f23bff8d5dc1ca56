package dev.weft.aspects;

/**
 * Pointcuts shared by Weft's aspects. {@code notWithinWeft()} keeps the tracer from tracing
 * itself: Weft's own packages are never join points of its aspects.
 */
public final aspect WeftPointcuts {
  public pointcut notWithinWeft():
      !within(dev.weft.*)
      && !within(dev.weft.internal..*)
      && !within(dev.weft.spi..*)
      && !within(dev.weft.report..*)
      && !within(dev.weft.aspects..*)
      && !within(dev.weft.instrumentation..*)
      && !within(dev.weft.annotations..*)
      && !within(dev.weft.agent..*)
      && !within(dev.weft.collectors..*)
      && !within(dev.weft.cli..*);
}
