package dev.weft.internal.tracing;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.WeftConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a span records of a URL's path ({@code weft.http.path_values}), for the servlet entry and
 * outgoing HTTP calls. A path can carry a secret as well as a query can: a webhook's capability URL
 * ({@code /services/T0001/B0002/XyZsecret123}), a reset link ({@code /reset/<token>}), a session id
 * ({@code ;jsessionid=...}). The path is cut into segments at {@code /}; each segment has a name
 * and, after a {@code ;}, matrix parameters.
 *
 * <ul>
 *   <li>{@code redact-ids} (the default): a segment name that {@linkplain #looksLikeAnId looks like
 *       an id or a secret} is recorded as {@code ?}; words and short numbers stay ({@code
 *       /v2/queues/demo-1/messages/507f1f77bcf86cd799439011} → {@code
 *       /v2/queues/demo-1/messages/?}).
 *   <li>{@code all}: names as sent.
 *   <li>{@code none}: every segment name after the first is {@code ?} (the first follows {@code
 *       redact-ids}): {@code /v2/queues/demo-1} → {@code /v2/?/?}.
 * </ul>
 *
 * In {@code redact-ids} and {@code none}, each matrix parameter's value is {@code ?} ({@code ;v=1}
 * → {@code ;v=?}); in every mode the value of {@code ;jsessionid=} (any case) is {@code ?}. An
 * empty segment stays empty.
 *
 * <p>{@code weft.http.path_templates} lists paths such as {@code /services/*}{@code /*}{@code /*}:
 * the first template whose segments begin the path decides those segments, in every mode: a {@code
 * *} segment is {@code ?}, a literal one (compared exactly with the segment's name) is kept; the
 * segments after them follow the mode.
 *
 * <p>Runs per request: a hand-written scan of the path (and of its first segments per template), no
 * regular expression, no copy when nothing is replaced, and no work past the segment that reaches
 * {@code weft.max_value_length}.
 */
public final class Paths {
  static final int ALL = 0;
  static final int REDACT_IDS = 1;
  static final int NONE = 2;

  /** A template segment that matches any segment, recorded as {@code ?}. */
  private static final String ANY = "*";

  private static final String[][] NO_TEMPLATES = new String[0][];

  /** The parsed options of one configuration snapshot. */
  private record Rules(WeftConfig source, int mode, String[][] templates) {}

  private static volatile Rules rules;

  private Paths() {}

  /** The path as a span records it now: {@code "/"} for none, bounded by max_value_length. */
  public static String recorded(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    WeftConfig c = WeftRuntime.config();
    Rules r = rules;
    if (r == null || r.source != c) {
      r =
          new Rules(
              c, mode(c.string(Key.HTTP_PATH_VALUES)), templates(c.list(Key.HTTP_PATH_TEMPLATES)));
      rules = r;
    }
    long max = c.number(Key.MAX_VALUE_LENGTH);
    return Render.bound(apply(rawPath, r.mode, r.templates, max));
  }

  static int mode(String name) {
    return switch (name == null ? "" : name) {
      case "all" -> ALL;
      case "none" -> NONE;
      default -> REDACT_IDS;
    };
  }

  /** Templates as their segment names; a leading and a trailing {@code /} are optional. */
  static String[][] templates(List<String> specs) {
    List<String[]> out = new ArrayList<>();
    for (String spec : specs) {
      String t = spec.trim();
      int from = t.startsWith("/") ? 1 : 0;
      int to = t.endsWith("/") && t.length() > from ? t.length() - 1 : t.length();
      if (to > from) {
        out.add(t.substring(from, to).split("/", -1));
      }
    }
    return out.isEmpty() ? NO_TEMPLATES : out.toArray(new String[0][]);
  }

  /** {@code path} as recorded in {@code mode}, unbounded. */
  static String apply(String path, int mode, String[][] templates) {
    return apply(path, mode, templates, Long.MAX_VALUE);
  }

  /**
   * {@code path} as recorded in {@code mode}. Stops after the segment that takes the result past
   * {@code limit} characters (the caller cuts it there); a segment is always judged whole before
   * any of it is written.
   */
  static String apply(String path, int mode, String[][] templates, long limit) {
    int n = path.length();
    if (n == 0) {
      return path;
    }
    if (mode == ALL && templates.length == 0 && path.indexOf(';') < 0) {
      return path;
    }
    String[] template = match(path, templates);
    StringBuilder b = null;
    int i = path.charAt(0) == '/' ? 1 : 0;
    int index = 0;
    while (true) {
      int end = indexOf(path, '/', i, n);
      int semi = indexOf(path, ';', i, end);
      boolean hide = hidden(path, i, semi, index, mode, template);
      boolean params = semi < end && paramsChange(path, semi, end, mode);
      if ((hide || params) && b == null) {
        b = new StringBuilder(n);
        b.append(path, 0, i);
      }
      if (b != null) {
        if (hide) {
          b.append('?');
        } else {
          b.append(path, i, semi);
        }
        if (params) {
          appendParams(b, path, semi, end, mode);
        } else {
          b.append(path, semi, end);
        }
      }
      if (end == n) {
        break;
      }
      if ((b == null ? end : b.length()) > limit) {
        return b == null ? path.substring(0, end) : b.toString();
      }
      if (b != null) {
        b.append('/');
      }
      i = end + 1;
      index++;
    }
    return b == null ? path : b.toString();
  }

  /** Whether the name {@code path[from, to)}, segment number {@code index}, is recorded as ?. */
  private static boolean hidden(
      String path, int from, int to, int index, int mode, String[] template) {
    if (from == to) {
      return false;
    }
    if (template != null && index < template.length) {
      return template[index].equals(ANY);
    }
    return switch (mode) {
      case ALL -> false;
      case NONE -> index > 0 || looksLikeAnId(path, from, to);
      default -> looksLikeAnId(path, from, to);
    };
  }

  /** The first template whose segments begin {@code path}, or null. */
  private static String[] match(String path, String[][] templates) {
    for (String[] t : templates) {
      if (begins(path, t)) {
        return t;
      }
    }
    return null;
  }

  private static boolean begins(String path, String[] t) {
    int n = path.length();
    int i = path.charAt(0) == '/' ? 1 : 0;
    for (int k = 0; k < t.length; k++) {
      if (i > n) {
        return false;
      }
      int end = indexOf(path, '/', i, n);
      int semi = indexOf(path, ';', i, end);
      if (!t[k].equals(ANY)
          && !(t[k].length() == semi - i && path.regionMatches(i, t[k], 0, t[k].length()))) {
        return false;
      }
      i = end + 1;
    }
    return true;
  }

  /** Whether the matrix parameters {@code path[from, to)} (from at a ;) are recorded changed. */
  private static boolean paramsChange(String path, int from, int to, int mode) {
    for (int p = from; p < to; ) {
      int next = indexOf(path, ';', p + 1, to);
      int eq = indexOf(path, '=', p + 1, next);
      if (eq < next && (mode != ALL || jsessionid(path, p + 1, eq))) {
        return true;
      }
      p = next;
    }
    return false;
  }

  private static void appendParams(StringBuilder b, String path, int from, int to, int mode) {
    for (int p = from; p < to; ) {
      int next = indexOf(path, ';', p + 1, to);
      int eq = indexOf(path, '=', p + 1, next);
      if (eq < next && (mode != ALL || jsessionid(path, p + 1, eq))) {
        b.append(path, p, eq).append("=?");
      } else {
        b.append(path, p, next);
      }
      p = next;
    }
  }

  /** The first {@code c} in {@code s[from, to)}, or {@code to}. */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  private static boolean jsessionid(String path, int from, int to) {
    return to - from == 10 && path.regionMatches(true, from, "jsessionid", 0, 10);
  }

  /**
   * Whether a segment name looks like an id or a secret. Each {@code %XX} escape counts as the one
   * character it encodes (an encoded byte above 127 is neither letter nor digit). It does when it
   *
   * <ol>
   *   <li>is a UUID: 36 characters, hex digits with {@code -} at positions 9, 14, 19 and 24;
   *   <li>holds 16 or more hex digits in a row (Mongo ObjectIds, hashes, hex tokens);
   *   <li>holds 10 or more decimal digits in a row ({@code 42} and {@code 20240115} stay);
   *   <li>has 8 or more characters with an upper-case letter, a lower-case letter and a digit
   *       ({@code XyZsecret123}, base64url tokens, JWTs);
   *   <li>or has 16 or more characters with a letter next to a digit at 4 or more places ({@code
   *       k3j4h5g6f7d8s9a0}; {@code release-notes-v2} has one and stays).
   * </ol>
   */
  static boolean looksLikeAnId(String s, int from, int to) {
    int len = 0;
    int upper = 0;
    int lower = 0;
    int digits = 0;
    int mixes = 0;
    int hexRun = 0;
    int digitRun = 0;
    int prev = 0; // 1 letter, 2 digit, 0 anything else
    boolean uuid = true;
    for (int i = from; i < to; ) {
      int c = s.charAt(i);
      int hi;
      int lo;
      if (c == '%'
          && i + 2 < to
          && (hi = hexValue(s.charAt(i + 1))) >= 0
          && (lo = hexValue(s.charAt(i + 2))) >= 0) {
        c = hi * 16 + lo;
        i += 3;
      } else {
        i++;
      }
      int kind;
      boolean hex;
      if (c >= 'a' && c <= 'z') {
        lower++;
        kind = 1;
        hex = c <= 'f';
      } else if (c >= 'A' && c <= 'Z') {
        upper++;
        kind = 1;
        hex = c <= 'F';
      } else if (c >= '0' && c <= '9') {
        digits++;
        kind = 2;
        hex = true;
      } else {
        kind = 0;
        hex = false;
      }
      if (kind != 0 && prev != 0 && kind != prev) {
        mixes++;
      }
      hexRun = hex ? hexRun + 1 : 0;
      digitRun = kind == 2 ? digitRun + 1 : 0;
      if (hexRun >= 16 || digitRun >= 10) {
        return true;
      }
      if (len == 8 || len == 13 || len == 18 || len == 23) {
        uuid &= c == '-';
      } else {
        uuid &= hex;
      }
      len++;
      prev = kind;
    }
    return (len == 36 && uuid)
        || (len >= 8 && upper > 0 && lower > 0 && digits > 0)
        || (len >= 16 && mixes >= 4);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
