package dev.weft.internal.pipeline;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** OSProfiler's timestamp text: {@code %Y-%m-%dT%H:%M:%S.%f}, naive UTC, microseconds. */
public final class Timestamps {
  private Timestamps() {}

  public static String format(long epochMicros) {
    long secs = Math.floorDiv(epochMicros, 1_000_000L);
    int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(26);
    pad(b, t.getYear(), 4).append('-');
    pad(b, t.getMonthValue(), 2).append('-');
    pad(b, t.getDayOfMonth(), 2).append('T');
    pad(b, t.getHour(), 2).append(':');
    pad(b, t.getMinute(), 2).append(':');
    pad(b, t.getSecond(), 2).append('.');
    pad(b, micros, 6);
    return b.toString();
  }

  /** Parses the text back to epoch microseconds (accepts 1–6 fraction digits or none). */
  public static long parse(String s) {
    int dot = s.indexOf('.');
    LocalDateTime t = LocalDateTime.parse(dot < 0 ? s : s.substring(0, dot));
    long micros = 0;
    if (dot >= 0) {
      String frac = (s.substring(dot + 1) + "000000").substring(0, 6);
      micros = Long.parseLong(frac);
    }
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + micros;
  }

  private static StringBuilder pad(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }
}
