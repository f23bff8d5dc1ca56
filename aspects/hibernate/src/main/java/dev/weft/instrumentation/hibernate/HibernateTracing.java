package dev.weft.instrumentation.hibernate;

import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.ScrubbingShape;
import dev.weft.internal.tracing.Spans;
import dev.weft.internal.tracing.SqlSanitizer;
import dev.weft.spi.TraceCategory;

/**
 * The plain-Java side of {@code HibernateAspect}: a span named {@code hibernate} per Hibernate
 * session operation, with the {@code db} spans of its statements (from the JDBC integration) under
 * it.
 *
 * <p>Start info: {@code {"db": {"operation": <persist, find, merge, remove, flush, commit, query,
 * execute_update>, "entity": <entity name>}}} or, for queries, {@code "statement": <HQL with
 * literals replaced by ?>} (a native query's SQL is read with the rules of the session factory's
 * dialect). Only the outermost operation is a span (the session's overloads call each other).
 */
final class HibernateTracing {
  private HibernateTracing() {}

  static final InfoShape SESSION =
      new ScrubbingShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("operation", r.a);
          if (r.b != null) {
            w.field("entity", r.b);
          }
          if (r.c != null) {
            w.field("statement", r.c);
          }
          w.endObject();
        }

        @Override
        public String category() {
          return "sql";
        }
      };

  // --- session operations -----------------------------------------------------------------------

  /**
   * Opens a {@code hibernate} span for a session operation on an entity (or an entity class), or
   * returns null when not traced or inside another session operation.
   */
  static SpanRecord session(String operation, Object entity) {
    SpanRecord r = open(operation);
    if (r != null) {
      r.b = entityName(entity);
    }
    return r;
  }

  /**
   * Opens a {@code hibernate} span for a query's execution, with its HQL sanitized; null when not
   * traced or inside another session operation.
   */
  static SpanRecord query(String operation, Object query) {
    SpanRecord r = open(operation);
    if (r != null) {
      try {
        r.c = SqlSanitizer.sanitize(HibernateQueries.text(query), HibernateQueries.syntax(query));
      } catch (Throwable e) {
        r.c = null;
      }
    }
    return r;
  }

  private static SpanRecord open(String operation) {
    ThreadContext c = ThreadContext.active(TraceCategory.SQL);
    if (c == null) {
      return null;
    }
    SpanRecord top = c.top();
    if (top != null && top.shape == SESSION) {
      return null;
    }
    try {
      SpanRecord r = c.push("hibernate", SESSION);
      if (r != null) {
        r.a = operation;
      }
      return r;
    } catch (Throwable e) {
      Spans.failed("hibernate", e);
      return null;
    }
  }

  static String entityName(Object entity) {
    if (entity == null) {
      return null;
    }
    if (entity instanceof String) {
      return (String) entity;
    }
    if (entity instanceof Class) {
      return ((Class<?>) entity).getName();
    }
    return entity.getClass().getName();
  }

  /** Hibernate's types are touched only here, so plain-JDBC applications never resolve them. */
  static final class HibernateQueries {
    private HibernateQueries() {}

    static String text(Object query) {
      if (query instanceof org.hibernate.query.Query) {
        return ((org.hibernate.query.Query<?>) query).getQueryString();
      } else if (query instanceof org.hibernate.query.spi.SqmQuery) {
        return ((org.hibernate.query.spi.SqmQuery<?>) query).getQueryString();
      }
      return null;
    }

    /**
     * How the text is read: {@code hql}, or for a native query the {@code db.system} of the session
     * factory's dialect (null, read under every dialect's rules, if unknown).
     */
    static String syntax(Object query) {
      if (!(query instanceof org.hibernate.query.NativeQuery)) {
        return "hql";
      }
      try {
        return query instanceof org.hibernate.query.spi.QueryImplementor
            ? systemOf(
                ((org.hibernate.query.spi.QueryImplementor<?>) query)
                    .getSession()
                    .getJdbcServices()
                    .getDialect()
                    .getClass())
            : null;
      } catch (Throwable e) {
        return null;
      }
    }
  }

  /** The {@code db.system} of a Hibernate dialect class (or a subclass), or null. */
  static String systemOf(Class<?> dialect) {
    for (Class<?> c = dialect; c != null; c = c.getSuperclass()) {
      switch (c.getName()) {
        case "org.hibernate.dialect.PostgreSQLDialect":
          return "postgresql";
        case "org.hibernate.dialect.H2Dialect":
          return "h2";
        case "org.hibernate.dialect.MariaDBDialect":
          return "mariadb";
        case "org.hibernate.dialect.MySQLDialect":
          return "mysql";
        case "org.hibernate.dialect.OracleDialect":
          return "oracle";
        case "org.hibernate.dialect.SQLServerDialect":
          return "mssql";
        case "org.hibernate.dialect.HSQLDialect":
          return "hsqldb";
        case "org.hibernate.dialect.DB2Dialect":
          return "db2";
        case "org.hibernate.community.dialect.DerbyDialect":
          return "derby";
        case "org.hibernate.community.dialect.SQLiteDialect":
          return "sqlite";
        default:
          break;
      }
    }
    return null;
  }
}
