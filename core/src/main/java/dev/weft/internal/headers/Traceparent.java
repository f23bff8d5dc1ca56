package dev.weft.internal.headers;

/**
 * W3C {@code traceparent}: {@code 00-<32 hex trace-id>-<16 hex span-id>-<2 hex flags>}. Weft maps
 * the base_id UUID to the trace-id and the low 64 bits of the span's UUID to the span-id, as
 * OSProfiler's otlp driver does.
 */
public final class Traceparent {
  private Traceparent() {}

  /** A parsed header: the trace-id as a UUID text and the span-id as 16 hex digits. */
  public record Parsed(String traceIdUuid, String spanIdHex, boolean sampled) {}

  public static String format(String baseId, long spanLo) {
    String trace = uuidHex(baseId);
    if (trace == null) {
      return null;
    }
    return "00-" + trace + "-" + hex16(spanLo) + "-01";
  }

  /** The 32 hex digits of a UUID text, or null when {@code id} is not a UUID. */
  public static String uuidHex(String id) {
    if (id == null || id.length() != 36) {
      return null;
    }
    StringBuilder b = new StringBuilder(32);
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        return null;
      }
      b.append(Character.toLowerCase(c));
    }
    return b.toString();
  }

  public static String hex16(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  /** Parses a header; null for anything malformed (including all-zero ids and version ff). */
  public static Parsed parse(String h) {
    if (h == null) {
      return null;
    }
    h = h.strip();
    if (h.length() < 55 || h.length() > 512) {
      return null;
    }
    if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
      return null;
    }
    String version = h.substring(0, 2);
    if (!isHex(version) || version.equals("ff") || (version.equals("00") && h.length() != 55)) {
      return null;
    }
    String trace = h.substring(3, 35);
    String span = h.substring(36, 52);
    String flags = h.substring(53, 55);
    if (!isHex(trace) || !isHex(span) || !isHex(flags)) {
      return null;
    }
    if (trace.chars().allMatch(c -> c == '0') || span.chars().allMatch(c -> c == '0')) {
      return null;
    }
    String uuid =
        trace.substring(0, 8)
            + "-"
            + trace.substring(8, 12)
            + "-"
            + trace.substring(12, 16)
            + "-"
            + trace.substring(16, 20)
            + "-"
            + trace.substring(20);
    return new Parsed(uuid, span, (Integer.parseInt(flags, 16) & 1) == 1);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
