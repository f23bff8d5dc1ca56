package dev.weft.internal.tracing;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import java.util.Arrays;

/** Renders values for span info safely: never throws, bounded by {@code weft.max_value_length}. */
public final class Render {
  private Render() {}

  public static String value(Object o) {
    String s;
    try {
      if (o == null) {
        s = "null";
      } else if (o instanceof Object[]) {
        s = Arrays.deepToString((Object[]) o);
      } else if (o.getClass().isArray()) {
        s = primitiveArray(o);
      } else {
        s = String.valueOf(o);
      }
    } catch (Throwable t) {
      s = "<" + o.getClass().getName() + ": toString failed>";
    }
    return bound(s);
  }

  public static String bound(String s) {
    int max = (int) Math.min(Integer.MAX_VALUE, WeftRuntime.config().number(Key.MAX_VALUE_LENGTH));
    if (s != null && s.length() > max) {
      return s.substring(0, Math.max(0, max)) + "...";
    }
    return s;
  }

  private static String primitiveArray(Object a) {
    if (a instanceof int[]) {
      return Arrays.toString((int[]) a);
    } else if (a instanceof long[]) {
      return Arrays.toString((long[]) a);
    } else if (a instanceof byte[]) {
      return "byte[" + ((byte[]) a).length + "]";
    } else if (a instanceof char[]) {
      return "char[" + ((char[]) a).length + "]";
    } else if (a instanceof double[]) {
      return Arrays.toString((double[]) a);
    } else if (a instanceof float[]) {
      return Arrays.toString((float[]) a);
    } else if (a instanceof short[]) {
      return Arrays.toString((short[]) a);
    } else if (a instanceof boolean[]) {
      return Arrays.toString((boolean[]) a);
    }
    return a.getClass().getSimpleName();
  }
}
