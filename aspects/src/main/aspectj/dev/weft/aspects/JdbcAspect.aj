package dev.weft.aspects;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.SqlTracing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * JDBC statements (category {@code sql}) at their call sites: a span named {@code db} per {@code
 * Statement.execute*} call made by code within {@link #scope()}. {@code java.sql} cannot be woven,
 * so the calls are woven where they are made: in Hibernate's executors ({@code SqlAspect}, load
 * time) or in the application's own code, compiled with ajc or named in aop.xml:
 *
 * <pre>{@code
 * <concrete-aspect name="com.example.AppJdbc" extends="dev.weft.aspects.JdbcAspect">
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

  after(String sql, Connection connection) returning(PreparedStatement ps):
      prepare(sql, connection) && if(Switches.sql) {
    SqlTracing.prepared(connection, sql, ps);
  }

  Object around(Statement st, String sql): executeText(st, sql) && if(Switches.sql) {
    SpanRecord s = SqlTracing.execute(st, sql);
    if (s == null) {
      return proceed(st, sql);
    }
    try {
      return proceed(st, sql);
    } catch (Throwable t) {
      SqlTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      SqlTracing.stop(s);
    }
  }

  Object around(Statement st): executePrepared(st) && if(Switches.sql) {
    SpanRecord s = SqlTracing.execute(st, null);
    if (s == null) {
      return proceed(st);
    }
    try {
      return proceed(st);
    } catch (Throwable t) {
      SqlTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      SqlTracing.stop(s);
    }
  }

  int[] around(Statement st): executeBatch(st) && if(Switches.sql) {
    SpanRecord s = SqlTracing.execute(st, null);
    if (s == null) {
      return proceed(st);
    }
    try {
      int[] rows = proceed(st);
      SqlTracing.batch(s, rows == null ? 0 : rows.length);
      return rows;
    } catch (Throwable t) {
      SqlTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      SqlTracing.stop(s);
    }
  }
}
