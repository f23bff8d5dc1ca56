package dev.weft.internal.tracing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the literals of a SQL (or HQL) statement with {@code ?}: quoted strings ({@code '...'}
 * with {@code ''} escapes, also {@code E'...'}), numbers, hexadecimal and dollar-quoted strings.
 * Identifiers, quoted identifiers, keywords and existing placeholders stay.
 *
 * <p>Results are cached by the raw text: an application runs a bounded set of statements, so the
 * scan runs once per distinct statement. The cache holds at most {@value #MAX_ENTRIES} entries and
 * is emptied when full (statements built with inline literals would otherwise grow it without end).
 */
public final class SqlSanitizer {
  static final int MAX_ENTRIES = 2048;
  private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

  private SqlSanitizer() {}

  /** The statement with its literals replaced; cached. */
  public static String sanitize(String sql) {
    if (sql == null) {
      return null;
    }
    String s = CACHE.get(sql);
    if (s == null) {
      s = Render.bound(scan(sql, false));
      if (CACHE.size() >= MAX_ENTRIES) {
        CACHE.clear();
      }
      CACHE.put(sql, s);
    }
    return s;
  }

  /**
   * An error message with its quoted strings and numbers replaced by {@code ?} (not cached): driver
   * messages quote statements and values.
   */
  public static String message(String message) {
    return message == null ? null : Render.bound(scan(message, true));
  }

  /** How many statements are cached (for tests). */
  static int cached() {
    return CACHE.size();
  }

  /**
   * One pass over the text. In a message ({@code prose}), double quotes and back quotes are plain
   * characters (drivers quote row values inside them) and a number after a colon is a literal.
   */
  static String scan(String sql, boolean prose) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = skipQuoted(sql, i + 1, '\'');
        out.append('?');
      } else if ((c == 'E' || c == 'e' || c == 'X' || c == 'x' || c == 'N' || c == 'n')
          && i + 1 < n
          && sql.charAt(i + 1) == '\''
          && !identifierBefore(sql, i, prose)) {
        i = skipQuoted(sql, i + 2, '\'');
        out.append('?');
      } else if (!prose && (c == '"' || c == '`')) {
        int end = skipQuoted(sql, i + 1, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '$' && !identifierBefore(sql, i, prose) && dollarTag(sql, i) > 0) {
        int tagEnd = dollarTag(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        i = close < 0 ? n : close + tag.length();
        out.append('?');
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (Character.isDigit(c) && !identifierBefore(sql, i, prose)) {
        i = skipNumber(sql, i);
        out.append('?');
      } else if (c == '.'
          && i + 1 < n
          && Character.isDigit(sql.charAt(i + 1))
          && !identifierBefore(sql, i, prose)) {
        i = skipNumber(sql, i + 1);
        out.append('?');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean identifierBefore(String s, int i, boolean prose) {
    if (i == 0) {
      return false;
    }
    char p = s.charAt(i - 1);
    return Character.isLetterOrDigit(p) || p == '_' || p == '$' || p == '.' || (!prose && p == ':');
  }

  private static int skipQuoted(String s, int from, char q) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == q) {
        if (i + 1 < n && s.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c == '\\' && q == '\'' && i + 1 < n) {
        i += 2;
        continue;
      }
      i++;
    }
    return n;
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
}
