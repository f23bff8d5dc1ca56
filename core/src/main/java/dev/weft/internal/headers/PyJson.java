package dev.weft.internal.headers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the header codec needs, kept dependency-free and shaped after Python's {@code json}
 * module, because what OSProfiler accepts is what {@code json.loads} accepts:
 *
 * <ul>
 *   <li>{@link #parse}: any JSON value, with the rules of CPython 3.11's scanner — whitespace is
 *       space, tab, CR and LF only; no control character inside a string; {@code \}{@code uXXXX}
 *       needs four hex digits and a lone surrogate is kept; numbers are {@code
 *       -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?}, integers without a size limit up to 4,300
 *       digits (Python's {@code int} conversion limit) and above that an error; {@code NaN}, {@code
 *       Infinity} and {@code -Infinity} are numbers; a duplicated key keeps its first position and
 *       its last value (a Python {@code dict}); trailing text other than whitespace is an error.
 *       Values: {@link String}, {@link BigInteger}, {@link Double}, {@link Boolean}, {@code null},
 *       {@link List}, {@link Map}.
 *   <li>{@link #dumps}: the text Python's {@code json.dumps} writes for such a value ({@code ", "}
 *       and {@code ": "} separators, ASCII-only with {@code \}{@code uXXXX} escapes, floats as
 *       {@code repr()} writes them).
 *   <li>{@link #truthy}: Python's truth value of such a value.
 * </ul>
 */
final class PyJson {
  /**
   * Nesting Python's decoder gets through before its recursion limit (1,000 frames) stops it,
   * measured inside OSProfiler's WsgiMiddleware under Python 3.11's wsgiref server: an object
   * holding 978 nested arrays decodes, one more does not. Other servers' stacks differ by a few
   * levels; no client nests at all.
   */
  static final int MAX_DEPTH = 979;

  /** Python's {@code sys.get_int_max_str_digits()} default. */
  static final int MAX_INT_DIGITS = 4300;

  private PyJson() {}

  /** Thrown for anything {@code json.loads} would refuse. */
  static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }

  static String quote(String s) {
    return dev.weft.internal.pipeline.JsonWriter.quote(s);
  }

  /** Parses {@code s} as {@code json.loads} does; throws {@link Invalid} where it would raise. */
  static Object parse(String s) {
    Parser p = new Parser(s);
    try {
      p.ws();
      Object v = p.value(0);
      p.ws();
      if (p.i != s.length()) {
        throw new Invalid();
      }
      return v;
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw new Invalid();
    }
  }

  /** Python's truth value: empty, zero, false and null are false; NaN is true. */
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof String) {
      return !((String) v).isEmpty();
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof BigInteger) {
      return ((BigInteger) v).signum() != 0;
    }
    if (v instanceof Double) {
      return ((Double) v) != 0.0; // NaN != 0.0 is true, as bool(float("nan")) is
    }
    if (v instanceof List) {
      return !((List<?>) v).isEmpty();
    }
    return !((Map<?, ?>) v).isEmpty();
  }

  /** The text {@code json.dumps(v)} writes. */
  static String dumps(Object v) {
    StringBuilder b = new StringBuilder();
    dump(v, b);
    return b.toString();
  }

  private static void dump(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      b.append(quote((String) v));
    } else if (v instanceof Boolean) {
      b.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof BigInteger) {
      b.append(v);
    } else if (v instanceof Double) {
      b.append(floatRepr((Double) v));
    } else if (v instanceof List) {
      b.append('[');
      String sep = "";
      for (Object o : (List<?>) v) {
        b.append(sep);
        dump(o, b);
        sep = ", ";
      }
      b.append(']');
    } else {
      b.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        b.append(sep).append(quote((String) e.getKey())).append(": ");
        dump(e.getValue(), b);
        sep = ", ";
      }
      b.append('}');
    }
  }

  /**
   * Python's {@code float.__repr__} as {@code json.dumps} uses it: the shortest digits that read
   * back as the same double; positional when the decimal exponent is in [-4, 16), else {@code
   * d.ddde+XX}; {@code NaN}, {@code Infinity}, {@code -Infinity} as JSON writes them.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0.0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    BigDecimal abs = shortest.abs().stripTrailingZeros();
    String digits = abs.unscaledValue().toString();
    int exp10 = digits.length() - 1 - abs.scale(); // the value is d.ddd x 10^exp10
    StringBuilder b = new StringBuilder(24);
    if (d < 0) {
      b.append('-');
    }
    if (exp10 < -4 || exp10 >= 16) {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exp10 < 0 ? '-' : '+');
      int e = Math.abs(exp10);
      if (e < 10) {
        b.append('0');
      }
      b.append(e);
    } else if (exp10 < 0) {
      b.append("0.");
      for (int k = -1; k > exp10; k--) {
        b.append('0');
      }
      b.append(digits);
    } else if (digits.length() <= exp10 + 1) {
      b.append(digits);
      for (int k = digits.length(); k <= exp10; k++) {
        b.append('0');
      }
      b.append(".0");
    } else {
      b.append(digits, 0, exp10 + 1).append('.').append(digits, exp10 + 1, digits.length());
    }
    return b.toString();
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        i++;
      }
    }

    Object value(int depth) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          return string();
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case 'n':
          return word("null", null);
        case 't':
          return word("true", Boolean.TRUE);
        case 'f':
          return word("false", Boolean.FALSE);
        case 'N':
          return word("NaN", Double.NaN);
        case 'I':
          return word("Infinity", Double.POSITIVE_INFINITY);
        case '-':
          if (s.startsWith("-Infinity", i)) {
            return word("-Infinity", Double.NEGATIVE_INFINITY);
          }
          return number();
        default:
          return number();
      }
    }

    Object word(String w, Object v) {
      if (!s.startsWith(w, i)) {
        throw new Invalid();
      }
      i += w.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      if (depth > MAX_DEPTH) {
        throw new Invalid();
      }
      Map<String, Object> m = new LinkedHashMap<>();
      i++; // '{'
      ws();
      if (s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        if (s.charAt(i) != '"') {
          throw new Invalid();
        }
        String k = string();
        ws();
        if (s.charAt(i) != ':') {
          throw new Invalid();
        }
        i++;
        ws();
        m.put(k, value(depth)); // a dict: the first position, the last value
        ws();
        char c = s.charAt(i++);
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          throw new Invalid();
        }
        ws();
      }
    }

    List<Object> array(int depth) {
      if (depth > MAX_DEPTH) {
        throw new Invalid();
      }
      List<Object> l = new ArrayList<>();
      i++; // '['
      ws();
      if (s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        l.add(value(depth));
        ws();
        char c = s.charAt(i++);
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          throw new Invalid();
        }
        ws();
      }
    }

    Object number() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      char c = s.charAt(i);
      if (c >= '1' && c <= '9') {
        i++;
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
      } else if (c == '0') {
        i++;
      } else {
        throw new Invalid();
      }
      int intEnd = i;
      boolean isFloat = false;
      if (i + 1 < s.length() && s.charAt(i) == '.' && digit(s.charAt(i + 1))) {
        isFloat = true;
        i += 2;
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        int eStart = i;
        i++;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
          i++;
        }
        int digitsStart = i;
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
        if (i > digitsStart) {
          isFloat = true;
        } else {
          i = eStart; // not an exponent: the number ends before the 'e'
        }
      }
      String token = s.substring(start, i);
      if (isFloat) {
        return Double.parseDouble(token);
      }
      int digits = intEnd - start - (s.charAt(start) == '-' ? 1 : 0);
      if (digits > MAX_INT_DIGITS) {
        throw new Invalid(); // Python: "Exceeds the limit (4300 digits) for integer string ..."
      }
      return new BigInteger(token);
    }

    static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    String string() {
      i++; // '"'
      StringBuilder b = null;
      int run = i;
      while (true) {
        char c = s.charAt(i);
        if (c == '"') {
          String tail = s.substring(run, i++);
          return b == null ? tail : b.append(tail).toString();
        }
        if (c < 0x20) {
          throw new Invalid(); // strict: "Invalid control character"
        }
        if (c != '\\') {
          i++;
          continue;
        }
        if (b == null) {
          b = new StringBuilder();
        }
        b.append(s, run, i);
        char e = s.charAt(i + 1);
        i += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            b.append(e);
            break;
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'n':
            b.append('\n');
            break;
          case 'r':
            b.append('\r');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            b.append(hex4());
            break;
          default:
            throw new Invalid();
        }
        run = i;
      }
    }

    /**
     * Four hex digits. A surrogate pair written as two escapes needs nothing special: Java keeps
     * the two halves as Python's combined code point would be held; a lone half stays alone.
     */
    char hex4() {
      int v = 0;
      for (int k = 0; k < 4; k++) {
        int d = Character.digit(s.charAt(i + k), 16);
        char c = s.charAt(i + k);
        if (d < 0 || c > 'f') {
          throw new Invalid(); // only 0-9, a-f, A-F (Character.digit also takes other digits)
        }
        v = (v << 4) | d;
      }
      i += 4;
      return (char) v;
    }
  }
}
