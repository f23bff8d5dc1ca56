package dev.weft.cli.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes parsed JSON values exactly as Python's {@code json.dumps(value, indent=2, separators=(",",
 * ": "))} does, which is how {@code osprofiler trace show --json} prints a report: two-space
 * indentation, {@code "key": value}, {@code []} and {@code {}} for empty containers, every
 * non-ASCII character as a {@code \\uXXXX} escape ({@code ensure_ascii}), floats in Python's {@code
 * repr} form.
 */
public final class PyJson {
  private PyJson() {}

  /** The value as indented JSON text, without a final newline. */
  public static String dumps(Object value) {
    StringBuilder b = new StringBuilder(4096);
    write(b, value, 0, 2);
    return b.toString();
  }

  /** The value as indented JSON text with the given indentation step. */
  public static String dumps(Object value, int indent) {
    StringBuilder b = new StringBuilder(1024);
    write(b, value, 0, indent);
    return b.toString();
  }

  private static void newline(StringBuilder b, int level, int indent) {
    b.append('\n');
    for (int i = 0, n = level * indent; i < n; i++) {
      b.append(' ');
    }
  }

  private static void write(StringBuilder b, Object v, int level, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      quote(b, (String) v);
    } else if (v instanceof Boolean) {
      b.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      b.append(floatRepr(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal) {
      b.append(floatRepr(((BigDecimal) v).doubleValue()));
    } else if (v instanceof Number) {
      b.append(v); // Long, Integer, BigInteger
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(b, level + 1, indent);
        quote(b, String.valueOf(e.getKey()));
        b.append(": ");
        write(b, e.getValue(), level + 1, indent);
        if (it.hasNext()) {
          b.append(',');
        }
      }
      newline(b, level, indent);
      b.append('}');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        newline(b, level + 1, indent);
        write(b, l.get(i), level + 1, indent);
        if (i + 1 < l.size()) {
          b.append(',');
        }
      }
      newline(b, level, indent);
      b.append(']');
    } else {
      quote(b, String.valueOf(v));
    }
  }

  /** A JSON string literal with Python's default escaping (ASCII only). */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append("\\u");
            String hex = Integer.toHexString(c);
            for (int p = hex.length(); p < 4; p++) {
              b.append('0');
            }
            b.append(hex);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * A double as Python's {@code repr(float)}: the shortest digits that read back to the same value,
   * in positional form for decimal exponents -4..15 and {@code 1e-05} / {@code 1.5e+16} form
   * otherwise; {@code NaN}, {@code Infinity}, {@code -Infinity} as {@code json.dumps} writes them.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    // value = 0.digits * 10^decpt
    int decpt = digits.length() - bd.scale();
    StringBuilder b = new StringBuilder(24);
    if (d < 0) {
      b.append('-');
    }
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        b.append("0.");
        for (int i = 0; i < -decpt; i++) {
          b.append('0');
        }
        b.append(digits);
      } else if (decpt >= digits.length()) {
        b.append(digits);
        for (int i = digits.length(); i < decpt; i++) {
          b.append('0');
        }
        b.append(".0");
      } else {
        b.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      int exp = decpt - 1;
      b.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        b.append('0');
      }
      b.append(a);
    }
    return b.toString();
  }
}
