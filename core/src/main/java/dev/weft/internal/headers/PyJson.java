package dev.weft.internal.headers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two JSON jobs the header codec needs, kept dependency-free: quoting a string as Python's
 * {@code json.dumps} does (ASCII-only, {@code \\uXXXX} escapes), and parsing a flat JSON object
 * whose values are strings, numbers, booleans or null. Anything else (nesting, trailing text, a
 * duplicated key) is rejected with {@code null}.
 */
final class PyJson {
  private PyJson() {}

  static String quote(String s) {
    return dev.weft.internal.pipeline.JsonWriter.quote(s);
  }

  static Map<String, Object> parseFlatObject(String s) {
    Parser p = new Parser(s);
    try {
      Map<String, Object> m = p.object();
      p.ws();
      return p.i == s.length() ? m : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }

    void expect(char c) {
      ws();
      if (i >= s.length() || s.charAt(i) != c) {
        throw new IllegalArgumentException();
      }
      i++;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      expect('{');
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        String k = string();
        expect(':');
        ws();
        Object v = value();
        m.put(k, v); // Python keeps the last of duplicated keys
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    Object value() {
      char c = s.charAt(i);
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException();
      }
      return Double.parseDouble(s.substring(start, i));
    }

    String string() {
      if (s.charAt(i) != '"') {
        throw new IllegalArgumentException();
      }
      i++;
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c < 0x20) {
          throw new IllegalArgumentException();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
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
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default:
            throw new IllegalArgumentException();
        }
      }
    }
  }
}
