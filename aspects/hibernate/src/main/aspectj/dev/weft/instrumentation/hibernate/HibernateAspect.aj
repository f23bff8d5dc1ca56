package dev.weft.instrumentation.hibernate;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.instrumentation.jdbc.JdbcAspect;
import dev.weft.instrumentation.jdbc.JdbcTracing;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.Spans;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * Hibernate ORM 6.6 and 7 (category {@code sql}, load-time woven): session operations as {@code
 * hibernate} spans, and under them one {@code db} span per statement, timed at the JDBC calls of
 * Hibernate's statement preparers and executors (inherited from {@link JdbcAspect}). See {@link
 * HibernateTracing}.
 */
public aspect HibernateAspect extends JdbcAspect {

  /** Hibernate's JDBC preparers and executors: where statements are prepared and run. */
  protected pointcut scope():
      within(org.hibernate.engine.jdbc.internal..*)
      || within(org.hibernate.engine.jdbc.batch.internal..*)
      || within(org.hibernate.sql.exec.internal.StandardJdbcMutationExecutor)
      || within(org.hibernate.sql.results.jdbc.internal.DeferredResultSetAccess);

  /** Called by Hibernate once per statement it runs (the one-argument overload delegates here). */
  pointcut logStatement(String sql):
      execution(void org.hibernate.engine.jdbc.spi.SqlStatementLogger.logStatement(
              String, org.hibernate.engine.jdbc.internal.Formatter))
      && args(sql, ..) && WeftPointcuts.notWithinWeft();

  pointcut bind(java.sql.PreparedStatement st, Object value, int index):
      execution(void org.hibernate.type.descriptor.jdbc.BasicBinder.bind(
              java.sql.PreparedStatement, Object, int, *))
      && args(st, value, index, *) && WeftPointcuts.notWithinWeft();

  pointcut entityOperation(Object entity):
      (execution(public * org.hibernate.internal.SessionImpl.persist(Object))
          || execution(public * org.hibernate.internal.SessionImpl.merge(Object))
          || execution(public * org.hibernate.internal.SessionImpl.remove(Object))
          || execution(public * org.hibernate.internal.SessionImpl.find(Class, Object, ..))
          || execution(public * org.hibernate.internal.SessionImpl.find(String, Object, ..))
          || execution(public * org.hibernate.internal.SessionImpl.get(Class, Object, ..)))
      && args(entity, ..) && WeftPointcuts.notWithinWeft();

  pointcut namedEntityOperation(String entityName):
      (execution(public * org.hibernate.internal.SessionImpl.persist(String, Object))
          || execution(public * org.hibernate.internal.SessionImpl.merge(String, Object)))
      && args(entityName, ..) && WeftPointcuts.notWithinWeft();

  pointcut flush():
      execution(public void org.hibernate.internal.SessionImpl.flush())
      && WeftPointcuts.notWithinWeft();

  pointcut commit():
      execution(public void org.hibernate.engine.transaction.internal.TransactionImpl.commit())
      && WeftPointcuts.notWithinWeft();

  pointcut selectQuery(org.hibernate.query.spi.AbstractSelectionQuery q):
      execution(public java.util.List org.hibernate.query.spi.AbstractSelectionQuery.list())
      && this(q) && WeftPointcuts.notWithinWeft();

  pointcut updateQuery(org.hibernate.query.spi.AbstractQuery q):
      execution(public int org.hibernate.query.spi.AbstractQuery.executeUpdate())
      && this(q) && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  before(String sql): logStatement(sql) && if(Switches.sql) {
    JdbcTracing.logged(sql);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  before(java.sql.PreparedStatement st, Object value, int index):
      bind(st, value, index) && if(Switches.sqlParams) && if(Switches.sql) {
    JdbcTracing.bound(st, index, value);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object entity): entityOperation(entity) && if(Switches.sql) {
    SpanRecord s =
        HibernateTracing.session(thisJoinPointStaticPart.getSignature().getName(), entity);
    Throwable thrown = null;
    try {
      return proceed(entity);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(String entityName): namedEntityOperation(entityName) && if(Switches.sql) {
    SpanRecord s =
        HibernateTracing.session(thisJoinPointStaticPart.getSignature().getName(), entityName);
    Throwable thrown = null;
    try {
      return proceed(entityName);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(): (flush() || commit()) && if(Switches.sql) {
    SpanRecord s = HibernateTracing.session(thisJoinPointStaticPart.getSignature().getName(), null);
    Throwable thrown = null;
    try {
      proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(org.hibernate.query.spi.AbstractSelectionQuery q):
      selectQuery(q) && if(Switches.sql) {
    SpanRecord s = HibernateTracing.query("query", q);
    Throwable thrown = null;
    try {
      return proceed(q);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  int around(org.hibernate.query.spi.AbstractQuery q): updateQuery(q) && if(Switches.sql) {
    SpanRecord s = HibernateTracing.query("execute_update", q);
    Throwable thrown = null;
    try {
      return proceed(q);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(org.hibernate.internal.SessionImpl)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("sql");
  }
}
