package dev.weft.internal.pipeline;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** OSProfiler's timestamp text: {@code %Y-%m-%dT%H:%M:%S.%f}, naive UTC, microseconds. */
public final class Timestamps {
  /** 0000-01-01T00:00:00 and 10000-01-01T00:00:00 UTC in epoch seconds: the four-digit years. */
  private static final long MIN_SECS = -62_167_219_200L;

  private static final long MAX_SECS = 253_402_300_800L;

  /** Length of the text: {@code 2024-01-02T03:04:05.123456}. */
  static final int LENGTH = 26;

  /** Length of the text up to the microseconds: {@code 2024-01-02T03:04:05.}. */
  static final int SECOND_LENGTH = 20;

  private Timestamps() {}

  public static String format(long epochMicros) {
    JsonWriter w = new JsonWriter(LENGTH);
    write(w, epochMicros);
    return w.toString();
  }

  /**
   * Writes the text of {@code epochMicros} (unquoted) into {@code w}, digit by digit: for years
   * 0000–9999 with days-to-civil arithmetic (H. Hinnant's {@code civil_from_days}), so the
   * collector thread formats a timestamp without allocating. Other years (which no clock reading
   * gives) take the {@code java.time} path, which pads them as it always has.
   */
  static void write(JsonWriter w, long epochMicros) {
    long secs = Math.floorDiv(epochMicros, 1_000_000L);
    if (secs < MIN_SECS || secs >= MAX_SECS) {
      String s = formatSlow(epochMicros);
      byte[] b = w.ensure(s.length());
      int p = w.position();
      for (int i = 0; i < s.length(); i++) {
        b[p++] = (byte) s.charAt(i);
      }
      w.position(p);
      return;
    }
    int micros = (int) (epochMicros - secs * 1_000_000L);
    long days = Math.floorDiv(secs, 86_400L);
    int sod = (int) (secs - days * 86_400L);
    // civil_from_days: days since 1970-01-01 to (year, month, day), proleptic Gregorian.
    long z = days + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    int doe = (int) (z - era * 146_097L); // [0, 146096]
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365; // [0, 399]
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    int mp = (5 * doy + 2) / 153; // [0, 11], March first
    int day = doy - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yoe + era * 400L) + (month <= 2 ? 1 : 0);
    int hour = sod / 3600;
    int minute = (sod / 60) % 60;
    int second = sod % 60;

    byte[] b = w.ensure(LENGTH);
    int p = w.position();
    p = digits(b, p, year, 4);
    b[p++] = '-';
    p = digits(b, p, month, 2);
    b[p++] = '-';
    p = digits(b, p, day, 2);
    b[p++] = 'T';
    p = digits(b, p, hour, 2);
    b[p++] = ':';
    p = digits(b, p, minute, 2);
    b[p++] = ':';
    p = digits(b, p, second, 2);
    b[p++] = '.';
    p = digits(b, p, micros, 6);
    w.position(p);
  }

  /** Writes the six digits of {@code micros} (0–999,999) at {@code p}; returns the end. */
  static int writeMicros(byte[] b, int p, long micros) {
    return digits(b, p, (int) micros, 6);
  }

  private static int digits(byte[] b, int p, int v, int width) {
    for (int i = p + width - 1; i >= p; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return p + width;
  }

  /** The {@code java.time} formatting, for years outside 0000–9999 (and tests). */
  static String formatSlow(long epochMicros) {
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
