package dev.weft.it.ctw;

/**
 * The application's own JDBC calls, compile-time woven: the concrete scope of Weft's {@code
 * JdbcAspect} for this code base.
 */
public aspect AppJdbc extends dev.weft.instrumentation.jdbc.JdbcAspect {
  protected pointcut scope(): within(dev.weft.it.ctw..*) && !within(AppJdbc);
}
