package dev.weft.internal.tracing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the literals of a SQL (or HQL) statement with {@code ?}, reading the statement with the
 * lexical rules of its database, and scrubs driver error messages of the values they quote.
 *
 * <p><b>Statements</b> ({@link #sanitize(String, String)}): string literals, numbers ({@code 42},
 * {@code -1.5e3} keeps its sign, {@code 0x1F}, {@code 10L}), prefixed strings ({@code X'0A'},
 * {@code N'...'}, {@code E'...'}, {@code B'01'}) and dialect strings become {@code ?}. Identifiers,
 * quoted identifiers, keywords and placeholders ({@code ?}, {@code ?1}, {@code :name}, {@code $1})
 * stay. A comment loses its body and keeps its opening as a marker: <code>/*?*&#47;</code>, {@code
 * --?}, {@code #?}, {@code //?} (the line break after a line comment stays). The rules per {@code
 * db.system} value (as the JDBC integration records it):
 *
 * <ul>
 *   <li>{@code postgresql}: standard strings ({@code ''} doubles a quote, a backslash is a plain
 *       character, as with {@code standard_conforming_strings} on), {@code E'...'} with backslash
 *       escapes, {@code $tag$...$tag$} and {@code $$...$$}, {@code "..."} identifiers, nested block
 *       comments.
 *   <li>{@code h2}: standard strings, {@code $$...$$}, {@code "..."} and {@code `...`} identifiers,
 *       {@code //} line comments, nested block comments.
 *   <li>{@code mysql}, {@code mariadb}: {@code '...'} and {@code "..."} are both strings with
 *       backslash escapes, {@code `...`} identifiers, {@code #} comments, {@code --} a comment only
 *       before a space or a control character; the executable comments <code>/*! ... *&#47;</code>
 *       and <code>/*M! ... *&#47;</code> are scrubbed as the SQL they hold. The {@code sql_mode}s
 *       NO_BACKSLASH_ESCAPES and ANSI_QUOTES are read too (see below).
 *   <li>{@code oracle}: standard strings, {@code q'[...]'} and {@code nq'...'} with any delimiter,
 *       {@code "..."} identifiers.
 *   <li>{@code mssql} (also {@code sqlserver}): standard strings, {@code [...]} and {@code "..."}
 *       identifiers, money literals ({@code $12.50}), nested block comments.
 *   <li>{@code sqlite}: standard strings, {@code "..."} read as a string (SQLite takes an unknown
 *       identifier in double quotes for a string), {@code `...`} and {@code [...]} identifiers.
 *   <li>{@code hsqldb}, {@code derby}, {@code db2}: standard strings and comments.
 *   <li>{@code hql} (Hibernate's query language): {@code '...'} standard; {@code "..."} and {@code
 *       j'...'} Java strings, read both as Hibernate's lexer does (a quote right after a backslash
 *       never closes) and with Java escapes; {@code `...`} identifiers; block comments only ({@code
 *       --} is two minus signs).
 *   <li>any other value, or null: all of the above at once (below).
 * </ul>
 *
 * <p>Where a database's reading is not certain (the server's {@code sql_mode}; whether a carriage
 * return ends a line comment, for Oracle, SQL Server, HSQLDB, Derby and Db2; whether block comments
 * nest and whether {@code //} starts a comment, for the last three), or the database is unknown,
 * the statement is read under each candidate rule set in parallel. Text is kept only where every
 * reading agrees that it is outside any literal and comment: from the first position where two
 * readings differ to the first where all are in step again, the text becomes one {@code ?} (one
 * comment marker if the readings differ only by a comment). So an ambiguity such as {@code 'C:\' ,
 * token = 'x'} (one string with backslash escapes, two strings without) redacts more, never less.
 * For an unknown database this also makes {@code "..."} a {@code ?} (a string on MySQL) and a
 * {@code #} the start of a comment.
 *
 * <p>Results are cached per rule set by the raw text: an application runs a bounded set of
 * statements, so the scan runs once per distinct statement. The caches hold at most {@value
 * #MAX_ENTRIES} entries together and are emptied when full (statements built with inline literals
 * would otherwise grow them without end).
 *
 * <p><b>Messages</b> ({@link #message(String)}, not cached): drivers quote values in prose, and
 * without escaping them, so quotes are read greedily. From an opening {@code '} or {@code "} (not
 * inside a word, as in {@code doesn't}, unless after a literal prefix such as {@code N} or {@code
 * q}) the text becomes {@code ?} up to the last quote of either kind on that line that ends a word
 * (else the last such quote of the message, else its end). After {@code =(} (PostgreSQL's {@code
 * Key (email)=(...)}), {@code contains (} (its failing row) and {@code value is (} (SQL Server's
 * duplicate key) the text up to the line's last {@code )} becomes {@code ?}. Numbers, dollar-quoted
 * strings and the bodies of block, {@code --} and {@code //} comments are replaced as in
 * statements. The rest (SQLState, words, names outside quotes) stays.
 */
public final class SqlSanitizer {
  static final int MAX_ENTRIES = 2048;

  // What a rule set (an int of these bits) reads in a statement.
  private static final int BACKSLASH = 1; // backslash escapes in '...'
  private static final int DQ_STRING = 1 << 1; // "..." is a string, not an identifier
  private static final int DQ_BACKSLASH = 1 << 2; // backslash escapes in "..."
  private static final int BACKQUOTE = 1 << 3; // `...` identifiers
  private static final int BRACKETS = 1 << 4; // [...] identifiers
  private static final int BRACKET_DOUBLE = 1 << 5; // ]] inside [...]
  private static final int HASH = 1 << 6; // # line comments
  private static final int SLASH2 = 1 << 7; // two slashes start a line comment
  private static final int NO_DASH = 1 << 8; // -- is two minus signs
  private static final int DASH_SPACE = 1 << 9; // -- is a comment only before a space or control
  private static final int CR_ENDS = 1 << 10; // a carriage return ends a line comment too
  private static final int NESTED = 1 << 11; // block comments nest
  private static final int EXEC = 1 << 12; // /*! */ and /*M! */ hold SQL
  private static final int DOLLAR2 = 1 << 13; // $$...$$
  private static final int DOLLAR_TAG = 1 << 14; // $tag$...$tag$ and $$...$$
  private static final int E_STRING = 1 << 15; // E'...' with backslash escapes
  private static final int Q_QUOTE = 1 << 16; // q'[...]'
  private static final int MONEY = 1 << 17; // $12.50
  private static final int HQL = 1 << 18; // "..." and j'...' Java strings, ANTLR comment rule
  private static final int JAVA_ESCAPES = 1 << 19; // HQL Java strings as meant: a backslash escapes

  private static final int MYSQL_BASE = BACKQUOTE | HASH | DASH_SPACE | EXEC;
  private static final int[] MYSQL = {
    MYSQL_BASE | BACKSLASH | DQ_STRING | DQ_BACKSLASH, // the default sql_mode
    MYSQL_BASE | DQ_STRING, // NO_BACKSLASH_ESCAPES
    MYSQL_BASE | BACKSLASH, // ANSI_QUOTES
    MYSQL_BASE // both
  };
  private static final int[] POSTGRESQL = {CR_ENDS | NESTED | DOLLAR_TAG | E_STRING};
  private static final int[] H2 = {CR_ENDS | NESTED | SLASH2 | DOLLAR2 | BACKQUOTE};
  private static final int[] ORACLE = {Q_QUOTE, Q_QUOTE | CR_ENDS};
  private static final int[] MSSQL = {
    NESTED | BRACKETS | BRACKET_DOUBLE | MONEY, NESTED | BRACKETS | BRACKET_DOUBLE | MONEY | CR_ENDS
  };
  private static final int[] SQLITE = {DQ_STRING | BACKQUOTE | BRACKETS};
  private static final int[] STANDARD = {
    0,
    CR_ENDS,
    NESTED,
    NESTED | CR_ENDS,
    SLASH2,
    SLASH2 | CR_ENDS,
    SLASH2 | NESTED,
    SLASH2 | NESTED | CR_ENDS
  };
  private static final int[] HQL_RULES = {
    HQL | DQ_STRING | BACKQUOTE | NO_DASH, // as Hibernate's lexer reads it
    HQL | JAVA_ESCAPES | DQ_STRING | BACKQUOTE | NO_DASH // as its author meant it
  };

  private static final Dialect D_POSTGRESQL = new Dialect(POSTGRESQL);
  private static final Dialect D_H2 = new Dialect(H2);
  private static final Dialect D_MYSQL = new Dialect(MYSQL);
  private static final Dialect D_ORACLE = new Dialect(ORACLE);
  private static final Dialect D_MSSQL = new Dialect(MSSQL);
  private static final Dialect D_SQLITE = new Dialect(SQLITE);
  private static final Dialect D_STANDARD = new Dialect(STANDARD);
  private static final Dialect D_HQL = new Dialect(HQL_RULES);
  private static final Dialect D_UNKNOWN =
      new Dialect(union(POSTGRESQL, H2, MYSQL, ORACLE, MSSQL, SQLITE, STANDARD));
  private static final Dialect[] ALL = {
    D_POSTGRESQL, D_H2, D_MYSQL, D_ORACLE, D_MSSQL, D_SQLITE, D_STANDARD, D_HQL, D_UNKNOWN
  };

  /** The rule sets a statement is read under, and the statements sanitized under them. */
  private static final class Dialect {
    final int[] rules;
    final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    Dialect(int[] rules) {
      this.rules = rules;
    }
  }

  private SqlSanitizer() {}

  /**
   * The statement with its literals and comment bodies replaced, read with the rules of {@code
   * system} (a {@code db.system} value such as {@code postgresql}, or {@code hql}; null or unknown
   * reads it under all of them); cached.
   */
  public static String sanitize(String sql, String system) {
    if (sql == null) {
      return null;
    }
    Dialect d = dialect(system);
    String s = d.cache.get(sql);
    if (s == null) {
      s = Render.bound(scan(sql, d.rules));
      if (cached() >= MAX_ENTRIES) {
        for (Dialect each : ALL) {
          each.cache.clear();
        }
      }
      d.cache.put(sql, s);
    }
    return s;
  }

  private static Dialect dialect(String system) {
    if (system == null) {
      return D_UNKNOWN;
    }
    switch (system) {
      case "postgresql":
        return D_POSTGRESQL;
      case "h2":
        return D_H2;
      case "mysql":
      case "mariadb":
        return D_MYSQL;
      case "oracle":
        return D_ORACLE;
      case "mssql":
      case "sqlserver":
        return D_MSSQL;
      case "sqlite":
        return D_SQLITE;
      case "hsqldb":
      case "derby":
      case "db2":
        return D_STANDARD;
      case "hql":
        return D_HQL;
      default:
        return D_UNKNOWN;
    }
  }

  /** How many statements are cached (for tests). */
  static int cached() {
    int n = 0;
    for (Dialect d : ALL) {
      n += d.cache.size();
    }
    return n;
  }

  private static int[] union(int[]... sets) {
    int[] all = new int[64];
    int n = 0;
    for (int[] set : sets) {
      next:
      for (int r : set) {
        for (int i = 0; i < n; i++) {
          if (all[i] == r) {
            continue next;
          }
        }
        all[n++] = r;
      }
    }
    return java.util.Arrays.copyOf(all, n);
  }

  // --- statements -------------------------------------------------------------------------------

  // What a token is; a token is returned as (kind << 32) | end.
  private static final int CODE = 1; // kept as written: keywords, identifiers, punctuation
  private static final int NUMBER = 2;
  private static final int STRING = 4;
  private static final int COMMENT = 8;

  /**
   * One pass over the statement, with one reader per rule set: while they agree on each token it is
   * written out (or replaced); where they disagree, the lagging readers are moved on until all
   * stand at the same position again, and that stretch is written as one replacement if any reader
   * saw a literal or comment in it.
   */
  static String scan(String sql, int[] rules) {
    int n = sql.length();
    int k = rules.length;
    int[] at = new int[k];
    StringBuilder out = new StringBuilder(n);
    int p = 0;
    while (p < n) {
      int kinds = 0;
      boolean apart = false;
      for (int r = 0; r < k; r++) {
        long t = token(sql, p, rules[r]);
        kinds |= (int) (t >>> 32);
        at[r] = (int) t;
        apart |= at[r] != at[0];
      }
      while (apart) {
        int lag = 0;
        apart = false;
        for (int r = 1; r < k; r++) {
          if (at[r] != at[lag]) {
            apart = true;
            if (at[r] < at[lag]) {
              lag = r;
            }
          }
        }
        if (apart) {
          long t = token(sql, at[lag], rules[lag]);
          kinds |= (int) (t >>> 32);
          at[lag] = (int) t;
        }
      }
      int end = at[0];
      if ((kinds & (STRING | NUMBER)) != 0) {
        out.append('?');
      } else if ((kinds & COMMENT) != 0) {
        out.append(marker(sql, p));
      } else {
        out.append(sql, p, end);
      }
      p = end;
    }
    return out.toString();
  }

  private static String marker(String s, int p) {
    if (s.startsWith("/*", p)) {
      return "/*?*/";
    } else if (s.startsWith("--", p)) {
      return "--?";
    } else if (s.startsWith("//", p)) {
      return "//?";
    } else if (s.charAt(p) == '#') {
      return "#?";
    }
    return "?";
  }

  private static long token(int kind, int end) {
    return ((long) kind << 32) | end;
  }

  /** The token at {@code p} under rule set {@code f}. */
  private static long token(String s, int p, int f) {
    int n = s.length();
    char c = s.charAt(p);
    char next = p + 1 < n ? s.charAt(p + 1) : 0;
    switch (c) {
      case '\'':
        return token(STRING, quoted(s, p + 1, '\'', (f & BACKSLASH) != 0, true));
      case '"':
        if ((f & HQL) != 0) {
          return token(STRING, javaQuoted(s, p + 1, '"', f));
        }
        return token(
            (f & DQ_STRING) != 0 ? STRING : CODE,
            quoted(s, p + 1, '"', (f & DQ_BACKSLASH) != 0, true));
      case '`':
        if ((f & BACKQUOTE) != 0) {
          boolean hql = (f & HQL) != 0;
          return token(CODE, quoted(s, p + 1, '`', hql, !hql));
        }
        break;
      case '[':
        if ((f & BRACKETS) != 0) {
          return token(CODE, quoted(s, p + 1, ']', false, (f & BRACKET_DOUBLE) != 0));
        }
        break;
      case '-':
        if (next == '-'
            && (f & NO_DASH) == 0
            && ((f & DASH_SPACE) == 0 || p + 2 >= n || isSpaceOrControl(s.charAt(p + 2)))) {
          return token(COMMENT, lineEnd(s, p, f));
        }
        break;
      case '#':
        if ((f & HASH) != 0) {
          return token(COMMENT, lineEnd(s, p, f));
        }
        break;
      case '/':
        if (next == '*') {
          if ((f & EXEC) != 0 && p + 2 < n) {
            if (s.charAt(p + 2) == '!') {
              return token(CODE, digits(s, p + 3, 5));
            } else if (s.charAt(p + 2) == 'M' && p + 3 < n && s.charAt(p + 3) == '!') {
              return token(CODE, digits(s, p + 4, 6));
            }
          }
          return token(COMMENT, blockEnd(s, p + 2, f));
        } else if (next == '/' && (f & SLASH2) != 0) {
          return token(COMMENT, lineEnd(s, p, f));
        }
        break;
      case '$':
        if (!identifierBefore(s, p, false)) {
          if ((f & DOLLAR_TAG) != 0) {
            int tagEnd = dollarTag(s, p);
            if (tagEnd > 0) {
              return token(STRING, closeTag(s, p, tagEnd));
            }
          }
          if ((f & DOLLAR2) != 0 && next == '$') {
            int close = s.indexOf("$$", p + 2);
            return token(STRING, close < 0 ? n : close + 2);
          }
          if ((f & MONEY) != 0
              && (Character.isDigit(next)
                  || (next == '.' && p + 2 < n && Character.isDigit(s.charAt(p + 2))))) {
            return token(NUMBER, skipNumber(s, p + 1));
          }
        }
        break;
      case '.':
        if (Character.isDigit(next) && !identifierBefore(s, p, false)) {
          return token(NUMBER, skipNumber(s, p + 1));
        }
        break;
      default:
        break;
    }
    if (Character.isDigit(c)) {
      return identifierBefore(s, p, false) ? token(CODE, p + 1) : token(NUMBER, skipNumber(s, p));
    }
    if (Character.isLetter(c) && !identifierBefore(s, p, false)) {
      long t = prefixed(s, p, c, next, f);
      if (t != 0) {
        return t;
      }
    }
    return token(CODE, p + 1);
  }

  /** A string opened by a letter at {@code p} ({@code N'..'}, {@code q'[..]'}), else 0. */
  private static long prefixed(String s, int p, char c, char next, int f) {
    char l = Character.toLowerCase(c);
    if (next == '\'' && (l == 'n' || l == 'x' || l == 'b' || l == 'e')) {
      boolean backslash = (f & BACKSLASH) != 0 || (l == 'e' && (f & E_STRING) != 0);
      return token(STRING, quoted(s, p + 2, '\'', backslash, true));
    }
    if ((f & Q_QUOTE) != 0) {
      int q = l == 'q' ? p : l == 'n' && (next == 'q' || next == 'Q') ? p + 1 : -1;
      if (q >= 0 && q + 2 < s.length() && s.charAt(q + 1) == '\'') {
        char open = s.charAt(q + 2);
        if (!Character.isWhitespace(open)) {
          return token(STRING, qQuoted(s, q + 3, closing(open)));
        }
      }
    }
    if ((f & HQL) != 0 && l == 'j') {
      if (next == '\'') {
        return token(STRING, javaQuoted(s, p + 2, '\'', f));
      } else if (next == '"') {
        int end =
            (f & JAVA_ESCAPES) != 0
                ? quoted(s, p + 2, '"', true, false)
                : javaDoubleQuoted(s, p + 2);
        if (end > 0) {
          return token(STRING, end);
        }
      }
    }
    return 0;
  }

  private static boolean isSpaceOrControl(char c) {
    return Character.isWhitespace(c) || Character.isISOControl(c);
  }

  private static boolean identifierBefore(String s, int i, boolean prose) {
    if (i == 0) {
      return false;
    }
    char p = s.charAt(i - 1);
    return Character.isLetterOrDigit(p)
        || p == '_'
        || p == '$'
        || p == '.'
        || (!prose && (p == ':' || p == '?'));
  }

  /**
   * The end of a quoted text whose first character is at {@code from}: {@code qq} doubled is the
   * quote itself if {@code doubling}, a backslash escapes the next character if {@code backslash};
   * the end of the text if it never closes.
   */
  private static int quoted(String s, int from, char q, boolean backslash, boolean doubling) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == q) {
        if (doubling && i + 1 < n && s.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c == '\\' && backslash) {
        i += 2;
        continue;
      }
      i++;
    }
    return n;
  }

  /**
   * HQL's Java string: Hibernate's lexer takes the longest match, where a backslash may escape a
   * quote or stand for itself, so the string closes at the first quote not right after a backslash;
   * with {@code JAVA_ESCAPES} as its author meant it, a backslash escaping the next character.
   */
  private static int javaQuoted(String s, int from, char q, int f) {
    if ((f & JAVA_ESCAPES) != 0) {
      return quoted(s, from, q, true, false);
    }
    int n = s.length();
    for (int i = from; i < n; i++) {
      if (s.charAt(i) == q && (i == from || s.charAt(i - 1) != '\\')) {
        return i + 1;
      }
    }
    return n;
  }

  /**
   * HQL's {@code j"..."}: its body may hold {@code "} but no unescaped {@code '}, and the lexer
   * takes the longest match: the last {@code "} before the first such {@code '}. -1 when there is
   * none (then {@code j} is an identifier).
   */
  private static int javaDoubleQuoted(String s, int from) {
    int n = s.length();
    int stop = n;
    for (int i = from; i < n; i++) {
      if (s.charAt(i) == '\'' && s.charAt(i - 1) != '\\') {
        stop = i;
        break;
      }
    }
    int close = s.lastIndexOf('"', stop - 1);
    return close >= from ? close + 1 : -1;
  }

  private static char closing(char open) {
    switch (open) {
      case '[':
        return ']';
      case '{':
        return '}';
      case '(':
        return ')';
      case '<':
        return '>';
      default:
        return open;
    }
  }

  /** Oracle's q-quote: its body ends at the closing delimiter followed by a quote. */
  private static int qQuoted(String s, int from, char close) {
    int n = s.length();
    for (int i = from; i + 1 < n; i++) {
      if (s.charAt(i) == close && s.charAt(i + 1) == '\'') {
        return i + 2;
      }
    }
    return n;
  }

  /** The end of a line comment at {@code p}: before its line break. */
  private static int lineEnd(String s, int p, int f) {
    int n = s.length();
    boolean cr = (f & CR_ENDS) != 0;
    for (int i = p; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n' || (cr && c == '\r')) {
        return i;
      }
    }
    return n;
  }

  /** The end of a block comment whose body starts at {@code from}. */
  private static int blockEnd(String s, int from, int f) {
    int n = s.length();
    if ((f & HQL) != 0) {
      // '/*' (~'*' | '*' ~'/')* '*/' with the longest match: a run of stars before a slash closes
      // the comment only if the run is odd (an even run pairs up and the slash is body)
      int i = from;
      while (i < n) {
        if (s.charAt(i) != '*') {
          i++;
          continue;
        }
        int run = i;
        while (run < n && s.charAt(run) == '*') {
          run++;
        }
        if (run < n && s.charAt(run) == '/' && ((run - i) & 1) == 1) {
          return run + 1;
        }
        i = run;
      }
      return n;
    }
    boolean nested = (f & NESTED) != 0;
    int depth = 1;
    int i = from;
    while (i + 1 < n) {
      char c = s.charAt(i);
      if (c == '*' && s.charAt(i + 1) == '/') {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else if (nested && c == '/' && s.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else {
        i++;
      }
    }
    return n;
  }

  private static int digits(String s, int from, int max) {
    int i = from;
    while (i < s.length() && i - from < max && Character.isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipNumber(String s, int from) {
    int i = from;
    int n = s.length();
    if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
      i += 2;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isDigit(c) || c == '.') {
        i++;
      } else if ((c == 'e' || c == 'E')
          && i + 1 < n
          && (Character.isDigit(s.charAt(i + 1))
              || ((s.charAt(i + 1) == '-' || s.charAt(i + 1) == '+')
                  && i + 2 < n
                  && Character.isDigit(s.charAt(i + 2))))) {
        i += 2;
      } else if (Character.isLetter(c) || c == '_') {
        i++; // a suffix such as 10L or 1.5BD in HQL
      } else {
        break;
      }
    }
    return i;
  }

  /** The end of a {@code $tag$} opening at {@code i}, or -1. */
  private static int dollarTag(String s, int i) {
    int j = i + 1;
    int n = s.length();
    while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
      if (j == i + 1 && Character.isDigit(s.charAt(j))) {
        return -1; // $1: a positional parameter
      }
      j++;
    }
    return j < n && s.charAt(j) == '$' ? j + 1 : -1;
  }

  /** The end of the dollar-quoted string whose tag is {@code s[open, tagEnd)}. */
  private static int closeTag(String s, int open, int tagEnd) {
    int len = tagEnd - open;
    int i = s.indexOf('$', tagEnd);
    while (i >= 0) {
      if (s.regionMatches(i, s, open, len)) {
        return i + len;
      }
      i = s.indexOf('$', i + 1);
    }
    return s.length();
  }

  // --- messages ---------------------------------------------------------------------------------

  /**
   * An error message with the values it quotes, bracketed values, numbers, dollar-quoted strings
   * and comment bodies replaced by {@code ?} (not cached). See the class comment.
   */
  public static String message(String message) {
    return message == null ? null : Render.bound(scrub(message));
  }

  static String scrub(String m) {
    int n = m.length();
    StringBuilder out = new StringBuilder(n);
    int lastQuote = -2; // the last closing quote of the message; -2: not yet looked for
    int lastParen = -2;
    int i = 0;
    while (i < n) {
      char c = m.charAt(i);
      char next = i + 1 < n ? m.charAt(i + 1) : 0;
      if ((c == '\'' || c == '"') && opensQuote(m, i)) {
        int end = lastOnLine(m, i + 1, true);
        if (end < 0) {
          if (lastQuote == -2) {
            lastQuote = lastOnLine(m, 0, n, true);
          }
          end = lastQuote > i ? lastQuote : n - 1;
        }
        out.append('?');
        i = end + 1;
      } else if (c == '('
          && (endsWith(m, i, "=") || endsWith(m, i, "contains ") || endsWith(m, i, "value is "))) {
        int end = lastOnLine(m, i + 1, false);
        if (end < 0) {
          if (lastParen == -2) {
            lastParen = lastOnLine(m, 0, n, false);
          }
          end = lastParen > i ? lastParen : -1;
        }
        if (end < 0) {
          out.append("(?");
          i = n;
        } else {
          out.append("(?)");
          i = end + 1;
        }
      } else if (c == '/' && next == '*') {
        int end = blockEnd(m, i + 2, NESTED);
        out.append("/*?*/");
        i = end;
      } else if ((c == '-' && next == '-') || (c == '/' && next == '/' && !endsWith(m, i, ":"))) {
        out.append(c).append(c).append('?');
        i = lineEnd(m, i, CR_ENDS);
      } else if (c == '$' && !identifierBefore(m, i, true) && dollarTag(m, i) > 0) {
        out.append('?');
        i = closeTag(m, i, dollarTag(m, i));
      } else if (Character.isDigit(c) && !identifierBefore(m, i, true)) {
        out.append('?');
        i = skipNumber(m, i);
      } else if (c == '.' && Character.isDigit(next) && !identifierBefore(m, i, true)) {
        out.append('?');
        i = skipNumber(m, i + 1);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Whether a quote at {@code i} opens a quoted value: not inside a word ({@code doesn't}), except
   * after a literal prefix ({@code N'}, {@code E'}, {@code X'}, {@code B'}, {@code q'}, {@code
   * nq'}, {@code j'}, {@code _utf8'}).
   */
  private static boolean opensQuote(String m, int i) {
    int w = i;
    while (w > 0 && isWordChar(m.charAt(w - 1))) {
      w--;
    }
    if (w == i) {
      return true;
    }
    if (m.charAt(w) == '_') {
      return true;
    }
    String word = m.substring(w, i).toLowerCase(java.util.Locale.ROOT);
    switch (word) {
      case "n":
      case "e":
      case "x":
      case "b":
      case "q":
      case "nq":
      case "j":
        return true;
      default:
        return false;
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean endsWith(String m, int i, String s) {
    return i >= s.length() && m.startsWith(s, i - s.length());
  }

  /** The last closing quote (or paren) on the line from {@code from}, or -1. */
  private static int lastOnLine(String m, int from, boolean quote) {
    int end = from;
    while (end < m.length() && m.charAt(end) != '\n' && m.charAt(end) != '\r') {
      end++;
    }
    return lastOnLine(m, from, end, quote);
  }

  /**
   * The last closing quote in {@code m[from, to)}: a {@code '} or {@code "} not followed by a word
   * character; or, if not {@code quote}, the last {@code )}. -1 if none.
   */
  private static int lastOnLine(String m, int from, int to, boolean quote) {
    for (int j = to - 1; j >= from; j--) {
      char c = m.charAt(j);
      if (quote
          ? (c == '\'' || c == '"') && (j + 1 >= m.length() || !isWordChar(m.charAt(j + 1)))
          : c == ')') {
        return j;
      }
    }
    return -1;
  }
}
