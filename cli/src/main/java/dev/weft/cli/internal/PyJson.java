package dev.weft.cli.internal;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes parsed JSON values exactly as Python's {@code json.dumps(value, indent=2, separators=(",",
 * ": "))} does, which is how {@code osprofiler trace show --json} prints a report: two-space
 * indentation, {@code "key": value}, {@code []} and {@code {}} for empty containers, every
 * non-ASCII character as a {@code \\uXXXX} escape ({@code ensure_ascii}), floats in Python's {@code
 * repr} form. The writer keeps no recursion of its own, so a value nested arbitrarily deep is
 * written, and it can write to a {@link Sink} in chunks; note that the text of a value nested
 * {@code n} deep is of size quadratic in {@code n}, as Python's is, which is why {@code trace show}
 * limits how deep spans nest (and Python itself stops at its recursion limit, about 500 spans
 * deep).
 */
public final class PyJson {
  private PyJson() {}

  /** The value as indented JSON text, without a final newline. */
  public static String dumps(Object value) {
    return dumps(value, 2);
  }

  /** The value as indented JSON text with the given indentation step. */
  public static String dumps(Object value, int indent) {
    Sink s = new Sink();
    write(value, indent, s);
    return s.toString();
  }

  /**
   * Writes the value as indented JSON text, without a final newline. Containers are walked with an
   * explicit stack, so any nesting depth is written without deep recursion.
   */
  public static void write(Object value, int indent, Sink out) {
    Deque<Frame> stack = new ArrayDeque<>();
    open(out, value, 0, stack);
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.entries.hasNext()) {
        if (f.started) {
          out.append(',');
        }
        f.started = true;
        newline(out, f.level + 1, indent);
        Object next = f.entries.next();
        Object v;
        if (f.map) {
          Map.Entry<?, ?> e = (Map.Entry<?, ?>) next;
          quote(out.buffer(), String.valueOf(e.getKey()));
          out.append(": ");
          v = e.getValue();
        } else {
          v = next;
        }
        open(out, v, f.level + 1, stack);
      } else {
        stack.pop();
        newline(out, f.level, indent);
        out.append(f.map ? '}' : ']');
      }
    }
  }

  /** A container being written: its remaining entries or items, and its nesting level. */
  private static final class Frame {
    final Iterator<?> entries;
    final boolean map;
    final int level;
    boolean started;

    Frame(Iterator<?> entries, boolean map, int level) {
      this.entries = entries;
      this.map = map;
      this.level = level;
    }
  }

  private static final String SPACES = " ".repeat(256);

  private static void newline(Sink out, int level, int indent) {
    out.append('\n');
    for (long n = (long) level * indent; n > 0; n -= SPACES.length()) {
      out.append(SPACES, 0, (int) Math.min(n, SPACES.length()));
    }
  }

  /** Writes a scalar or an empty container whole, or opens a container onto the stack. */
  private static void open(Sink out, Object v, int level, Deque<Frame> stack) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String) {
      quote(out.buffer(), (String) v);
      out.spill();
    } else if (v instanceof Boolean) {
      out.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      out.append(floatRepr(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal) {
      out.append(floatRepr(((BigDecimal) v).doubleValue()));
    } else if (v instanceof Number) {
      out.append(v.toString()); // Long, Integer, BigInteger
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        out.append("{}");
      } else {
        out.append('{');
        stack.push(new Frame(m.entrySet().iterator(), true, level));
      }
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.isEmpty()) {
        out.append("[]");
      } else {
        out.append('[');
        stack.push(new Frame(l.iterator(), false, level));
      }
    } else {
      quote(out.buffer(), String.valueOf(v));
      out.spill();
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
