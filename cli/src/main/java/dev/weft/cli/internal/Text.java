package dev.weft.cli.internal;

/**
 * Shows stored text safely in a terminal, a DOT label or an HTML page. A character that could move
 * the cursor, drive the terminal, break a line or reorder text on screen is replaced by its escape
 * as six visible characters: a backslash, {@code u} and four lowercase hex digits, as JSON writes
 * it. Those characters are the C0 controls, DEL, the C1 controls U+0080 to U+009F, the
 * bidirectional controls U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069, and the
 * line and paragraph separators U+2028 and U+2029.
 */
public final class Text {
  private Text() {}

  /** Whether {@code c} is shown as its escape. */
  public static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** Appends the escape of {@code c} (backslash, {@code u}, four lowercase hex digits). */
  public static void escape(StringBuilder b, char c) {
    b.append("\\u");
    String hex = Integer.toHexString(c);
    for (int p = hex.length(); p < 4; p++) {
      b.append('0');
    }
    b.append(hex);
  }

  /** {@code s} with every unsafe character escaped; {@code None} for null, as OSProfiler prints. */
  public static String visible(String s) {
    if (s == null) {
      return "None";
    }
    int i = 0;
    while (i < s.length() && !unsafe(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (unsafe(c)) {
        escape(b, c);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
