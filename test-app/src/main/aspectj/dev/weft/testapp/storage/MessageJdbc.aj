package dev.weft.testapp.storage;

import dev.weft.instrumentation.jdbc.JdbcAspect;

/**
 * Traces the SQL message store's own JDBC calls (category {@code sql}). Hibernate's statements are
 * traced by the load-time woven {@code SqlAspect}; this plain-JDBC code is compile-time woven here.
 */
public aspect MessageJdbc extends JdbcAspect {
  protected pointcut scope(): within(dev.weft.testapp.storage..*);
}
