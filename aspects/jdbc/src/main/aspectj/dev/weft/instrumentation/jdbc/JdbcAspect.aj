package dev.weft.instrumentation.jdbc;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.Spans;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * JDBC statements (category {@code sql}) at their call sites: a span named {@code db} per {@code
 * Statement.execute*} call made by code within {@link #scope()}. {@code java.sql} cannot be woven,
 * so the calls are woven where they are made: in Hibernate's executors (the hibernate integration,
 * load time) or in the application's own code, compiled with ajc (an aspect of the application's
 * that extends this one, with weft-jdbc as an aspect library) or named in aop.xml:
 *
 * <pre>{@code
 * <concrete-aspect name="com.example.AppJdbc" extends="dev.weft.instrumentation.jdbc.JdbcAspect">
 *   <pointcut name="scope" expression="within(com.example.dao..*)"/>
 * </concrete-aspect>
 * }</pre>
 */
public abstract aspect JdbcAspect {

  /** The code whose JDBC calls are traced. */
  protected abstract pointcut scope();

  pointcut prepare(String sql, Connection connection):
      call(PreparedStatement Connection+.prepare*(String, ..))
      && args(sql, ..) && target(connection) && scope() && WeftPointcuts.notWithinWeft();

  pointcut executeText(Statement st, String sql):
      call(* Statement+.execute*(String, ..))
      && args(sql, ..) && target(st) && scope() && WeftPointcuts.notWithinWeft();

  pointcut executePrepared(Statement st):
      (call(* PreparedStatement+.execute()) || call(* PreparedStatement+.executeQuery())
          || call(* PreparedStatement+.executeUpdate())
          || call(* PreparedStatement+.executeLargeUpdate()))
      && target(st) && scope() && WeftPointcuts.notWithinWeft();

  pointcut executeBatch(Statement st):
      call(int[] Statement+.executeBatch()) && target(st) && scope()
      && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  after(String sql, Connection connection) returning(PreparedStatement ps):
      prepare(sql, connection) && if(Switches.sql) {
    JdbcTracing.prepared(connection, sql, ps);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Statement st, String sql): executeText(st, sql) && if(Switches.sql) {
    SpanRecord s = JdbcTracing.execute(st, sql);
    Throwable thrown = null;
    try {
      return proceed(st, sql);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Statement st): executePrepared(st) && if(Switches.sql) {
    SpanRecord s = JdbcTracing.execute(st, null);
    Throwable thrown = null;
    try {
      return proceed(st);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  int[] around(Statement st): executeBatch(st) && if(Switches.sql) {
    SpanRecord s = JdbcTracing.execute(st, null);
    int[] rows = null;
    Throwable thrown = null;
    try {
      return rows = proceed(st);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      JdbcTracing.endBatch(s, rows, thrown);
    }
  }

  /**
   * A class whose JDBC call sites this aspect weaves has been loaded: the {@code sql} category is
   * woven in this JVM (so switching it on does not warn that nothing was woven).
   */
  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(*) && scope() && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("sql");
  }
}
