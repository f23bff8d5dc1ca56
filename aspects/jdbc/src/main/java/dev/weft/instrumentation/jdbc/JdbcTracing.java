package dev.weft.instrumentation.jdbc;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Render;
import dev.weft.internal.tracing.ScrubbingShape;
import dev.weft.internal.tracing.Spans;
import dev.weft.internal.tracing.SqlSanitizer;
import dev.weft.spi.TraceCategory;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

/**
 * The plain-Java side of {@code JdbcAspect}: a span named {@code db} per executed SQL statement.
 *
 * <p>{@code db} start info: {@code {"db": {"system": <h2, postgresql, ... from the JDBC URL>,
 * "statement": <SQL with literals replaced by ?, read with that system's rules>, "params":
 * [...]}}}, {@code params} (the bound values, rendered as text) only when {@code
 * weft.sql.params=true}. A batch's stop info carries {@code {"db": {"batch_size": N}}}, the number
 * of rows the batch executed.
 *
 * <p>How a statement's text is found: the prepare call ({@code Connection.prepareStatement}) ties
 * the statement object to its SQL; Hibernate's {@code SqlStatementLogger.logStatement(String,
 * Formatter)}, which it calls once per statement, is the fallback. Both are kept in a small
 * per-thread table that is only touched while a trace is active. For a batch, {@code params} are
 * those of the last row bound.
 *
 * <p>Design note: the per-thread table holds the last {@value #SLOTS} prepared statements strongly;
 * it is bounded, overwritten round-robin, and exists only on threads that ran traced SQL.
 */
public final class JdbcTracing {
  private JdbcTracing() {}

  static final InfoShape DB =
      new ScrubbingShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", r.a);
          w.field("statement", r.b);
          if (r.extra instanceof String[]) {
            StringBuilder sb = new StringBuilder("[");
            String[] p = (String[]) r.extra;
            int last = p.length - 1;
            while (last >= 0 && p[last] == null) {
              last--;
            }
            for (int i = 0; i <= last; i++) {
              if (i > 0) {
                sb.append(", ");
              }
              sb.append(p[i] == null ? "null" : JsonWriter.quote(p[i]));
            }
            w.rawField("params", sb.append(']').toString());
          }
          w.endObject();
        }

        @Override
        public void stop(SpanRecord r, JsonWriter w) {
          if (r.status == BATCH) {
            w.beginObject("db");
            w.field("batch_size", r.n);
            w.endObject();
          }
        }

        @Override
        public String category() {
          return "sql";
        }
      };

  static final int BATCH = 1;
  private static final int SLOTS = 16;
  private static final int MAX_PARAMS = 64;
  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  /** What this thread knows of its recent statements. */
  static final class State {
    final Object[] statements = new Object[SLOTS];
    final String[] sql = new String[SLOTS];
    final String[] systems = new String[SLOTS];
    final String[][] params = new String[SLOTS][];
    int next;
    String pending;
    Object lastConnection;
    String lastSystem;

    int slot(Object st) {
      for (int i = 0; i < SLOTS; i++) {
        if (statements[i] == st) {
          return i;
        }
      }
      return -1;
    }
  }

  private static boolean traced() {
    return ThreadContext.active(TraceCategory.SQL) != null;
  }

  // --- statement text ---------------------------------------------------------------------------

  /** Hibernate logged the statement it is about to run. */
  public static void logged(String sql) {
    if (traced()) {
      STATE.get().pending = sql;
    }
  }

  /** A statement was prepared on {@code connection} for {@code sql}. */
  static void prepared(Connection connection, String sql, Object statement) {
    if (statement == null || !traced()) {
      return;
    }
    try {
      State s = STATE.get();
      int i = s.slot(statement);
      if (i < 0) {
        i = s.next;
        s.next = (i + 1) % SLOTS;
      }
      s.statements[i] = statement;
      s.sql[i] = sql;
      s.systems[i] = system(s, connection);
      s.params[i] = null;
    } catch (Throwable e) {
      Spans.failed("jdbc", e); // the statement's span falls back to the logged text
    }
  }

  /** A value was bound to parameter {@code index} (1-based) of {@code statement}. */
  public static void bound(Object statement, int index, Object value) {
    if (!Switches.sqlParams || !traced() || index < 1 || index > MAX_PARAMS) {
      return;
    }
    try {
      bind(statement, index, value);
    } catch (Throwable e) {
      Spans.failed("jdbc", e);
    }
  }

  private static void bind(Object statement, int index, Object value) {
    State s = STATE.get();
    int i = s.slot(statement);
    if (i < 0) {
      return;
    }
    String[] p = s.params[i];
    if (p == null || p.length < index) {
      String[] bigger = new String[Math.max(index, p == null ? 4 : p.length * 2)];
      if (p != null) {
        System.arraycopy(p, 0, bigger, 0, p.length);
      }
      p = bigger;
      s.params[i] = p;
    }
    p[index - 1] = Render.value(value);
  }

  // --- statement execution ----------------------------------------------------------------------

  /**
   * Opens the span of a statement's execution; {@code sql} is the text passed to {@code
   * execute(String)}, or null for a prepared statement. Returns null when not traced.
   */
  static SpanRecord execute(Statement statement, String sql) {
    ThreadContext c = ThreadContext.active(TraceCategory.SQL);
    if (c == null) {
      return null;
    }
    try {
      State s = STATE.get();
      String text = sql;
      String system = null;
      String[] params = null;
      int i = sql == null ? s.slot(statement) : -1;
      if (i >= 0) {
        text = s.sql[i];
        system = s.systems[i];
        params = s.params[i];
        s.params[i] = null;
      }
      if (text == null) {
        text = s.pending;
      }
      if (system == null) {
        system = system(s, statement.getConnection());
      }
      SpanRecord r = c.push("db", DB);
      if (r != null) {
        r.a = system;
        r.b = SqlSanitizer.sanitize(text, system);
        if (Switches.sqlParams && params != null) {
          r.extra = params;
        }
      }
      return r;
    } catch (Throwable e) {
      Spans.failed("jdbc", e);
      return null;
    }
  }

  /** Ends a batch's span, recording the number of rows from {@code executeBatch}'s result. */
  static void endBatch(SpanRecord r, int[] rows, Throwable thrown) {
    if (r != null && rows != null) {
      r.status = BATCH;
      r.n = rows.length;
    }
    Spans.end(r, thrown);
  }

  static String system(State s, Connection connection) throws java.sql.SQLException {
    if (connection == null) {
      return "other_sql";
    }
    if (connection == s.lastConnection) {
      return s.lastSystem;
    }
    String system = systemOf(connection.getMetaData().getURL());
    s.lastConnection = connection;
    s.lastSystem = system;
    return system;
  }

  /** The {@code db.system} name for a JDBC URL: {@code jdbc:h2:mem:x} is {@code h2}. */
  static String systemOf(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      return "other_sql";
    }
    int end = url.indexOf(':', 5);
    String sub = (end < 0 ? url.substring(5) : url.substring(5, end)).toLowerCase(Locale.ROOT);
    switch (sub) {
      case "pgsql":
      case "postgres":
        return "postgresql";
      case "mariadb":
      case "mysql":
      case "h2":
      case "hsqldb":
      case "derby":
      case "sqlite":
      case "oracle":
      case "db2":
      case "postgresql":
        return sub;
      case "sqlserver":
        return "mssql";
      default:
        return sub.isEmpty() ? "other_sql" : sub;
    }
  }
}
