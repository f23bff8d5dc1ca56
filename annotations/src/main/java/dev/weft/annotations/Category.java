package dev.weft.annotations;

/**
 * The names of Weft's tracing categories. Each one is switched by the configuration key {@code
 * weft.trace.<name>}, for example {@code weft.trace.sql=true}.
 */
public final class Category {
  /** Methods and types annotated with {@link Traced} (default on). */
  public static final String ANNOTATED = "annotated";

  /** Servlet entry: one span per incoming HTTP request (default on). */
  public static final String SERVLET = "servlet";

  /** Outgoing HTTP calls (default on). */
  public static final String HTTP = "http";

  /** MongoDB operations (default off). */
  public static final String MONGODB = "mongodb";

  /** Redis commands (default off). */
  public static final String REDIS = "redis";

  /** SQL statements and ORM session operations (default off). */
  public static final String SQL = "sql";

  /** Pool selection and connection checkout (default on). */
  public static final String POOLING = "pooling";

  /** Hand-off of a trace to other threads (default on). */
  public static final String ASYNC = "async";

  private Category() {}
}
