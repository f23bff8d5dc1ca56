package dev.weft.internal.headers;

import dev.weft.spi.TraceCategory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The categories a trace asks for itself, as headers beside OSProfiler's pair: {@code
 * X-Weft-Trace-Categories: sql,redis} and {@code X-Weft-Trace-Categories-HMAC: <hex>}, the
 * lowercase hex HMAC-SHA1, under the key that signed the trace's {@code X-Trace-HMAC}, of the UTF-8
 * bytes of the categories value as sent, a line feed, and the {@code X-Trace-Info} value as sent:
 *
 * <pre>{@code
 * X-Weft-Trace-Categories-HMAC = hex(HMAC-SHA1(key, categories + "\n" + xTraceInfo))
 * }</pre>
 *
 * <p>So the pair is bound to one trace and one parent span: sent with another {@code X-Trace-Info},
 * it verifies no more. OSProfiler never reads these headers, and its pair stays as it is.
 *
 * <p>The value is a comma-separated list of category names, lower case, blanks around a name
 * allowed: every {@link TraceCategory} but {@code servlet} (the entry that reads the header). A
 * value with an unknown or empty name, a name that cannot be asked for, a non-ASCII character or
 * more than {@value #MAX_LENGTH} characters is ignored whole, as is a MAC that does not verify, or
 * one sent without a verified {@code X-Trace-Info}/{@code X-Trace-HMAC} pair. A header sent more
 * than once counts as its values joined with {@code ","}, as for OSProfiler's pair. Nothing here
 * throws or logs.
 *
 * <p>Weft sends the list in the order of {@link TraceCategory}, without blanks ({@link
 * #names(int)}), signed for the outgoing {@code X-Trace-Info}.
 */
public final class TraceCategories {
  public static final String HEADER = "X-Weft-Trace-Categories";
  public static final String HMAC_HEADER = "X-Weft-Trace-Categories-HMAC";

  /** Longest categories value read, in characters (the full list is 46). */
  public static final int MAX_LENGTH = 256;

  /** The categories a request may ask for: all but the servlet entry. */
  public static final int REQUESTABLE =
      ((1 << TraceCategory.values().length) - 1) & ~(1 << TraceCategory.SERVLET.ordinal());

  private TraceCategories() {}

  /**
   * The categories of a verified header pair, {@code 1 << ordinal} bits; 0 when the pair is absent
   * or does not verify against {@code key} (the key that verified {@code xTraceInfo}) and {@code
   * xTraceInfo} as received. Never throws.
   */
  public static int verify(String categories, String mac, String xTraceInfo, String key) {
    try {
      if (categories == null
          || mac == null
          || xTraceInfo == null
          || key == null
          || key.isEmpty()
          || mac.length() > MAX_LENGTH
          || xTraceInfo.length() > OsprofilerHeaders.MAX_HEADER_LENGTH) {
        return 0;
      }
      int mask = parse(categories);
      if (mask <= 0) {
        return 0;
      }
      String given = OsprofilerHeaders.pyStrip(mac);
      if (given.length() != 40) {
        return 0;
      }
      byte[] expected = sign(categories, xTraceInfo, key).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)) ? mask : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * The categories of a value, {@code 1 << ordinal} bits; -1 when the value is not one Weft accepts
   * (see the class comment).
   */
  public static int parse(String categories) {
    if (categories == null || categories.length() > MAX_LENGTH) {
      return -1;
    }
    int mask = 0;
    int from = 0;
    int n = categories.length();
    while (from <= n) {
      int comma = categories.indexOf(',', from);
      int end = comma < 0 ? n : comma;
      int b = from;
      int e = end;
      while (b < e && blank(categories.charAt(b))) {
        b++;
      }
      while (e > b && blank(categories.charAt(e - 1))) {
        e--;
      }
      int bit = bit(categories, b, e);
      if (bit == 0) {
        return -1;
      }
      mask |= bit;
      from = end + 1;
    }
    return mask;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  private static int bit(String s, int b, int e) {
    if (b == e) {
      return 0;
    }
    for (TraceCategory c : TraceCategory.values()) {
      String name = c.categoryName();
      if (name.length() == e - b && s.startsWith(name, b)) {
        int bit = 1 << c.ordinal();
        return (REQUESTABLE & bit) != 0 ? bit : 0;
      }
    }
    return 0;
  }

  /**
   * The mask of these category names; an unknown name, or one a request cannot ask for ({@code
   * servlet}), is an {@link IllegalArgumentException} that names the ones it can.
   */
  public static int of(String... names) {
    int mask = 0;
    if (names == null) {
      return 0;
    }
    for (String name : names) {
      String n = name == null ? "" : name.trim();
      int bit = bit(n, 0, n.length());
      if (bit == 0) {
        throw new IllegalArgumentException(
            "unknown trace category '"
                + name
                + "': a trace can ask for "
                + names(REQUESTABLE).replace(",", ", "));
      }
      mask |= bit;
    }
    return mask;
  }

  /** The names of a mask, in the order of {@link TraceCategory}, comma-separated, no blanks. */
  public static String names(int mask) {
    StringBuilder sb = new StringBuilder(48);
    for (TraceCategory c : TraceCategory.values()) {
      if ((mask & (1 << c.ordinal())) != 0) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(c.categoryName());
      }
    }
    return sb.toString();
  }

  /** The MAC of a categories value for one {@code X-Trace-Info}: lowercase hex HMAC-SHA1. */
  public static String sign(String categories, String xTraceInfo, String key) {
    return OsprofilerHeaders.hmac(categories + "\n" + xTraceInfo, key);
  }
}
