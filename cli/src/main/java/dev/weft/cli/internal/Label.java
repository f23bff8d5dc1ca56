package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.util.Locale;
import java.util.Map;

/**
 * What a span did, in a few words, built from what its start and stop events record: {@code db
 * SELECT weft_queues}, {@code hibernate find QueueRecord}, {@code redis GET queue:orders}, {@code
 * http PUT 127.0.0.1/v2/queues/demo-1}, {@code pooling checkout management (65 µs)}, {@code wsgi
 * GET /v2/queues}, {@code mongodb find messages}, {@code pool_select PoolSelector.select}.
 *
 * <p>Every part comes from the stored info as recorded (statements, paths and keys are already
 * redacted by the integration that recorded them); nothing is looked up. The shapes read are the
 * ones Weft's integrations and OSProfiler record:
 *
 * <ul>
 *   <li>{@code db}, {@code sql}: {@code db.statement} as its verb and first table; a batch's stop
 *       info {@code db.batch_size} as {@code (batch N)}.
 *   <li>{@code hibernate}: {@code db.operation} and the simple name of {@code db.entity}, or the
 *       verb and entity of the query in {@code db.statement}.
 *   <li>{@code redis}: {@code db.operation} (or {@code redis.command}) and {@code db.key}.
 *   <li>{@code mongodb}: {@code db.operation} (or {@code db.command}) and {@code db.collection}.
 *   <li>{@code http}, {@code https}, {@code requests}: {@code requests.method}, {@code
 *       requests.hostname} and {@code requests.path} (also the older {@code request} shape with
 *       {@code host}); a status of 400 or more from the stop info, as {@code → 503}.
 *   <li>{@code wsgi}, {@code servlet}: {@code request.method} and {@code request.path}; a status of
 *       400 or more from {@code response.status}.
 *   <li>{@code pooling}: {@code checkout}, {@code pooling.pool} and {@code pooling.wait_micros}.
 *   <li>any other span with {@code function.name} (an {@code @Traced} method, an OSProfiler traced
 *       function): the span's name and the function's {@code Class.method}, or the name alone when
 *       it already is that.
 * </ul>
 *
 * A span without such info is labelled with its name. White space runs become one space, and a
 * label is at most {@value #MAX} characters (cut with {@code …}). Labels are plain text: each view
 * escapes them as it escapes every stored value.
 *
 * <p>{@link #key} is the same label without what differs from one request to the next (numbers and
 * ids in paths and keys, the pool wait), so that spans doing the same thing share one key across
 * traces ({@code weft trace stats}, {@code weft trace diff}).
 */
public final class Label {
  /** The longest label, in characters. */
  public static final int MAX = 80;

  private Label() {}

  /** The span's label. */
  public static String of(SpanNode s) {
    return bound(build(s, false));
  }

  /** The span's label without numbers and ids: the same for spans that do the same thing. */
  public static String key(SpanNode s) {
    return bound(build(s, true));
  }

  private static String build(SpanNode s, boolean key) {
    String name = s.name == null ? "None" : s.name;
    Map<?, ?> start = info(s.startEvent);
    Map<?, ?> stop = info(s.stopEvent);
    String lower = name.toLowerCase(Locale.ROOT);
    String detail =
        switch (lower) {
          case "db", "sql" -> sql(start, stop);
          case "hibernate" -> hibernate(start);
          case "redis" -> redis(start, key);
          case "mongodb" -> mongo(start);
          case "http", "https", "requests" -> http(start, stop, key);
          case "wsgi", "servlet" -> entry(start, stop, key);
          case "pooling" -> pooling(start, key);
          default -> null;
        };
    if (detail == null) {
      detail = function(name, start);
    }
    return detail == null || detail.isEmpty() ? name : name + " " + detail;
  }

  private static String sql(Map<?, ?> start, Map<?, ?> stop) {
    String summary = Sql.summary(text(sub(start, "db"), "statement"));
    Object batch = sub(stop, "db") == null ? null : sub(stop, "db").get("batch_size");
    if (batch != null) {
      summary = (summary == null ? "" : summary + " ") + "(batch " + batch + ")";
    }
    return summary;
  }

  private static String hibernate(Map<?, ?> start) {
    Map<?, ?> db = sub(start, "db");
    String op = text(db, "operation");
    String entity = text(db, "entity");
    String what = entity != null ? simpleName(entity) : Sql.summary(text(db, "statement"));
    return join(op, what);
  }

  private static String redis(Map<?, ?> start, boolean key) {
    Map<?, ?> db = sub(start, "db");
    Map<?, ?> r = sub(start, "redis");
    String op = first(text(db, "operation"), text(r, "command"));
    String k = first(text(db, "key"), text(r, "key"));
    return join(op, key ? ids(k) : k);
  }

  private static String mongo(Map<?, ?> start) {
    Map<?, ?> db = sub(start, "db");
    String op = first(text(db, "operation"), text(db, "command"));
    String coll = first(text(db, "collection"), first(text(db, "namespace"), text(db, "name")));
    return join(op, coll);
  }

  private static String http(Map<?, ?> start, Map<?, ?> stop, boolean key) {
    Map<?, ?> req = first(sub(start, "requests"), sub(start, "request"));
    if (req == null) {
      return null;
    }
    String host = first(text(req, "hostname"), text(req, "host"));
    String path = text(req, "path");
    String where = (host == null ? "" : host) + (path == null ? "" : key ? ids(path) : path);
    String out = join(text(req, "method"), where.isEmpty() ? null : where);
    Map<?, ?> res = first(sub(stop, "requests"), sub(stop, "response"));
    Object status = res == null ? null : first(res.get("status_code"), res.get("status"));
    return key ? out : withStatus(out, status);
  }

  private static String entry(Map<?, ?> start, Map<?, ?> stop, boolean key) {
    Map<?, ?> req = sub(start, "request");
    if (req == null) {
      return null;
    }
    String path = text(req, "path");
    String out = join(text(req, "method"), key ? ids(path) : path);
    Map<?, ?> res = sub(stop, "response");
    return key ? out : withStatus(out, res == null ? null : res.get("status"));
  }

  private static String withStatus(String out, Object status) {
    if (status instanceof Number n && n.longValue() >= 400) {
      return (out == null ? "" : out + " ") + "\u2192 " + n.longValue();
    }
    return out;
  }

  private static String pooling(Map<?, ?> start, boolean key) {
    Map<?, ?> p = sub(start, "pooling");
    if (p == null) {
      return null;
    }
    String out = join("checkout", text(p, "pool"));
    Object wait = p.get("wait_micros");
    if (!key && wait instanceof Number n) {
      out += " (" + micros(n.longValue()) + ")";
    }
    return out;
  }

  /** {@code 65 µs} below a millisecond, else milliseconds ({@code 1.24 ms}). */
  static String micros(long us) {
    return us < 1000 ? us + " \u00b5s" : TraceModel.ms(us);
  }

  private static String function(String name, Map<?, ?> start) {
    String fn = text(sub(start, "function"), "name");
    if (fn == null) {
      return null;
    }
    String shortName = fn;
    int last = fn.lastIndexOf('.');
    if (last > 0) {
      int before = fn.lastIndexOf('.', last - 1);
      shortName = fn.substring(before + 1);
    }
    return shortName.equals(name) || fn.equals(name) ? null : shortName;
  }

  private static String simpleName(String entity) {
    int i = Math.max(entity.lastIndexOf('.'), entity.lastIndexOf('$'));
    return i >= 0 && i < entity.length() - 1 ? entity.substring(i + 1) : entity;
  }

  /**
   * {@code s} with what tells one request from another replaced by {@code ?}: UUIDs, runs of eight
   * or more hex digits with a digit among them, and runs of digits that do not follow a letter
   * ({@code /v2/queues/demo-1} becomes {@code /v2/queues/demo-?}).
   */
  static String ids(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int hex = hexRun(s, i);
      boolean boundary = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
      if (boundary && hex >= 8 && hasDigit(s, i, i + hex)) {
        int end = i + hex;
        // a UUID: 8-4-4-4-12 hex digits
        while (end < s.length() && s.charAt(end) == '-' && hexRun(s, end + 1) > 0) {
          end = end + 1 + hexRun(s, end + 1);
        }
        b.append('?');
        i = end;
      } else if (c >= '0' && c <= '9' && (i == 0 || !Character.isLetter(s.charAt(i - 1)))) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        b.append('?');
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }

  private static int hexRun(String s, int from) {
    int i = from;
    while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
      i++;
    }
    return i - from;
  }

  private static boolean hasDigit(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        return true;
      }
    }
    return false;
  }

  /** White space runs as one space, trimmed, and at most {@link #MAX} characters. */
  static String bound(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 8));
    boolean space = false;
    for (int i = 0; i < s.length() && b.length() <= MAX; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space = b.length() > 0;
        continue;
      }
      if (space) {
        b.append(' ');
        space = false;
      }
      b.append(c);
    }
    if (b.length() <= MAX) {
      return b.toString();
    }
    int cut = MAX - 1;
    if (Character.isLowSurrogate(b.charAt(cut)) && Character.isHighSurrogate(b.charAt(cut - 1))) {
      cut--;
    }
    b.setLength(cut);
    return b.append('\u2026').toString();
  }

  private static Map<?, ?> info(Map<String, Object> event) {
    return event == null || !(event.get("info") instanceof Map<?, ?> m) ? null : m;
  }

  private static Map<?, ?> sub(Map<?, ?> m, String key) {
    return m == null || !(m.get(key) instanceof Map<?, ?> s) ? null : s;
  }

  private static String text(Map<?, ?> m, String key) {
    if (m == null) {
      return null;
    }
    Object v = m.get(key);
    if (v == null || v instanceof Map || v instanceof java.util.List) {
      return null;
    }
    String s = String.valueOf(v);
    return s.isBlank() ? null : s;
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + " " + b;
  }

  /** The verb and first table of a SQL (or HQL) statement, read with a few rules. */
  static final class Sql {
    private Sql() {}

    /**
     * {@code SELECT weft_queues} for {@code SELECT id FROM weft_queues WHERE ...}: the statement's
     * first keyword in upper case and the name after its first {@code FROM} (SELECT, DELETE),
     * {@code INTO} (INSERT, REPLACE, MERGE), the keyword itself (UPDATE) or the object kind (CREATE
     * TABLE x), outside parentheses. A {@code WITH} statement is named by the statement after its
     * common table expressions; an HQL {@code from Entity} is a {@code SELECT}. Null for no text.
     */
    static String summary(String sql) {
      if (sql == null) {
        return null;
      }
      Tokens t = new Tokens(sql);
      String first = t.word();
      if (first == null) {
        return null;
      }
      String verb = first.toUpperCase(Locale.ROOT);
      if (verb.equals("WITH")) {
        String w;
        while ((w = t.word()) != null) {
          String u = w.toUpperCase(Locale.ROOT);
          if (t.depthBefore == 0
              && (u.equals("SELECT")
                  || u.equals("INSERT")
                  || u.equals("UPDATE")
                  || u.equals("DELETE")
                  || u.equals("MERGE"))) {
            verb = u;
            break;
          }
        }
        if (w == null) {
          return verb;
        }
      }
      if (verb.equals("FROM")) {
        String table = t.name();
        return table == null ? "SELECT" : "SELECT " + table;
      }
      String table =
          switch (verb) {
            case "SELECT", "DELETE" -> t.nameAfter("FROM", verb.equals("DELETE"));
            case "INSERT", "REPLACE", "MERGE", "UPSERT" -> t.nameAfter("INTO", true);
            case "UPDATE", "CALL", "EXEC", "EXECUTE" -> t.name();
            case "CREATE", "DROP", "ALTER", "TRUNCATE" -> t.ddl();
            default -> null;
          };
      return table == null ? verb : verb + " " + table;
    }

    /** A small scanner: words and names outside string literals and comments. */
    private static final class Tokens {
      final String s;
      int i;
      int depth;
      int depthBefore;

      Tokens(String s) {
        this.s = s;
      }

      /** Skips white space, comments, literals and punctuation other than names; tracks depth. */
      private void skip() {
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
            while (i < s.length() && s.charAt(i) != '\n') {
              i++;
            }
          } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
            int end = s.indexOf("*/", i + 2);
            i = end < 0 ? s.length() : end + 2;
          } else if (c == '\'') {
            int end = s.indexOf('\'', i + 1);
            i = end < 0 ? s.length() : end + 1;
          } else if (c == '(') {
            depth++;
            i++;
          } else if (c == ')') {
            depth = Math.max(0, depth - 1);
            i++;
          } else if (isNameStart(c)) {
            return;
          } else {
            i++;
          }
        }
      }

      /** The next word or name (with its quotes and dots), or null at the end. */
      String word() {
        skip();
        if (i >= s.length()) {
          return null;
        }
        depthBefore = depth;
        int from = i;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            int end = s.indexOf(close, i + 1);
            i = end < 0 ? s.length() : end + 1;
          } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.') {
            i++;
          } else {
            break;
          }
        }
        return s.substring(from, i);
      }

      /** The next name if it comes before any parenthesis, else null. */
      String name() {
        int d = depth;
        String w = word();
        while (w != null && (w.equalsIgnoreCase("ONLY") || w.equalsIgnoreCase("TABLE"))) {
          w = word();
        }
        return w == null || depthBefore != d ? null : w;
      }

      /**
       * The name after the first {@code keyword} at this depth; with {@code orNext}, the next word
       * itself when it is not the keyword ({@code DELETE t}, {@code INSERT t}).
       */
      String nameAfter(String keyword, boolean orNext) {
        int d = depth;
        boolean firstWord = true;
        String w;
        while ((w = word()) != null) {
          if (depthBefore == d && w.equalsIgnoreCase(keyword)) {
            return name();
          }
          if (firstWord && orNext && depthBefore == d && !isKeyword(w)) {
            return w;
          }
          firstWord = false;
        }
        return null;
      }

      /** {@code TABLE x} for {@code CREATE TABLE IF NOT EXISTS x}. */
      String ddl() {
        String kind = word();
        if (kind == null) {
          return null;
        }
        StringBuilder k = new StringBuilder(kind.toUpperCase(Locale.ROOT));
        String w = word();
        while (w != null && isModifier(w)) {
          if (!w.equalsIgnoreCase("IF")
              && !w.equalsIgnoreCase("NOT")
              && !w.equalsIgnoreCase("EXISTS")) {
            k.append(' ').append(w.toUpperCase(Locale.ROOT));
          }
          w = word();
        }
        return w == null ? k.toString() : k + " " + w;
      }

      private static boolean isModifier(String w) {
        return switch (w.toUpperCase(Locale.ROOT)) {
          case "IF",
              "NOT",
              "EXISTS",
              "TABLE",
              "INDEX",
              "VIEW",
              "SEQUENCE",
              "SCHEMA",
              "UNIQUE",
              "TEMPORARY",
              "TEMP",
              "OR",
              "REPLACE",
              "MATERIALIZED" ->
              true;
          default -> false;
        };
      }

      private static boolean isKeyword(String w) {
        return switch (w.toUpperCase(Locale.ROOT)) {
          case "FROM",
              "INTO",
              "IGNORE",
              "LOW_PRIORITY",
              "DELAYED",
              "HIGH_PRIORITY",
              "QUICK",
              "OR",
              "ALL",
              "DISTINCT",
              "TOP" ->
              true;
          default -> false;
        };
      }

      private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '"' || c == '`' || c == '[';
      }
    }
  }
}
