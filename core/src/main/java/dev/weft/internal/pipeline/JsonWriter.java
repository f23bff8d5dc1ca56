package dev.weft.internal.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal JSON writer with Python's {@code json.dumps} spacing ({@code ", "} and {@code ": "}),
 * so the events Weft stores are byte-identical in shape to OSProfiler's. Used off the application
 * thread only.
 *
 * <p>Design note: it writes into a growable byte buffer that the collector thread reuses from one
 * event to the next ({@link #reset()}), so encoding an event allocates nothing once the buffer has
 * grown to the size of the largest event. Every non-ASCII character is escaped as {@code
 * json.dumps} does by default ({@code ensure_ascii=True}), so the bytes are ASCII: the same as
 * their UTF-8 and their ISO-8859-1 text.
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Strings longer than this are escaped every time (hashing them would cost as much). */
  private static final int CACHED_MAX_CHARS = 128;

  private static final int CACHE_SLOTS = 512;

  private byte[] buf;
  private int count;
  private boolean first = true;

  // With {@link #cachingStrings()}: the escaped, quoted bytes of recently written String objects
  // (member names, ids, names of spans, host, project, service), direct-mapped by hash and matched
  // by identity, so a string seen before is copied, not escaped again; and the text of the last
  // timestamp's second. Null without it.
  private String[] cacheKeys;
  private byte[][] cacheBytes;
  private long tsSecond = Long.MIN_VALUE;
  private byte[] tsPrefix;

  public JsonWriter() {
    this(384);
  }

  public JsonWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /**
   * Makes this writer keep the escaped bytes of the strings it writes as member names and as {@link
   * #cachedField} values, matched by identity: for a writer reused for many documents that repeat
   * the same String objects (the collector thread's). About 8 KiB and the cached bytes.
   */
  JsonWriter cachingStrings() {
    cacheKeys = new String[CACHE_SLOTS];
    cacheBytes = new byte[CACHE_SLOTS][];
    tsPrefix = new byte[Timestamps.SECOND_LENGTH];
    return this;
  }

  /** Empties the buffer for the next document; the buffer itself is kept. */
  public JsonWriter reset() {
    count = 0;
    first = true;
    return this;
  }

  /** Bytes written since the last {@link #reset()}. */
  public int size() {
    return count;
  }

  /** A copy of what was written. */
  public byte[] toBytes() {
    return Arrays.copyOf(buf, count);
  }

  /** Writes what was written to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, count);
  }

  /** What was written, as text (every byte is ASCII). */
  @Override
  public String toString() {
    return new String(buf, 0, count, StandardCharsets.ISO_8859_1);
  }

  public JsonWriter beginObject() {
    put('{');
    first = true;
    return this;
  }

  public JsonWriter endObject() {
    put('}');
    first = false;
    return this;
  }

  /** Starts a member whose value is an object: {@code "name": {}. */
  public JsonWriter beginObject(String name) {
    name(name);
    put('{');
    first = true;
    return this;
  }

  public JsonWriter name(String name) {
    if (!first) {
      put(',');
      put(' ');
    }
    first = false;
    cached(name);
    put(':');
    put(' ');
    return this;
  }

  /**
   * As {@link #field(String, String)}; with {@link #cachingStrings()}, the value is cached (for
   * values that repeat from event to event: ids, names, host; not the info values of shapes).
   */
  JsonWriter cachedField(String name, String value) {
    return stringField(name, value, true);
  }

  private JsonWriter stringField(String name, String value, boolean cache) {
    name(name);
    if (value == null) {
      ascii("null");
    } else if (cache) {
      cached(value);
    } else {
      string(value);
    }
    return this;
  }

  /** {@code s} as a string literal, copied from the cache when this String was written before. */
  private void cached(String s) {
    String[] keys = cacheKeys;
    if (keys == null || s.length() > CACHED_MAX_CHARS) {
      string(s);
      return;
    }
    int i = s.hashCode() & (CACHE_SLOTS - 1);
    if (keys[i] == s) {
      raw(cacheBytes[i]);
      return;
    }
    int start = count;
    string(s);
    keys[i] = s;
    cacheBytes[i] = Arrays.copyOfRange(buf, start, count);
  }

  /** A string member; a null value is written as JSON {@code null}. */
  public JsonWriter field(String name, String value) {
    return stringField(name, value, false); // shapes' values (statements, arguments) vary
  }

  public JsonWriter field(String name, long value) {
    name(name);
    number(value);
    return this;
  }

  public JsonWriter field(String name, boolean value) {
    name(name);
    ascii(value ? "true" : "false");
    return this;
  }

  /** Appends already-encoded JSON as a member's value. */
  public JsonWriter rawField(String name, String json) {
    name(name);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c > 0x7e) {
        // Not what this writer makes: keep it valid (and ASCII) the way string() would.
        unicodeEscape(c);
      } else {
        put(c);
      }
    }
    return this;
  }

  /** Appends bytes that are already JSON (ASCII), e.g. a pre-encoded string literal. */
  JsonWriter raw(byte[] json) {
    ensure(json.length);
    System.arraycopy(json, 0, buf, count, json.length);
    count += json.length;
    return this;
  }

  /** A string member whose value is {@code value} followed by the ASCII {@code suffix}. */
  JsonWriter field(String name, String value, String suffix) {
    name(name);
    cached(String.valueOf(value)); // as string concatenation would: "null-start"
    count--; // the closing quote
    ascii(suffix);
    put('"');
    return this;
  }

  /** The separator and name of a member whose value the caller writes next. */
  JsonWriter rawName(byte[] quotedNameColon) {
    if (!first) {
      put(',');
      put(' ');
    }
    first = false;
    return raw(quotedNameColon);
  }

  /** A member whose value is a quoted UUID in its canonical text. */
  JsonWriter uuidField(String name, long hi, long lo) {
    name(name);
    ensure(38);
    byte[] b = buf;
    int p = count;
    b[p++] = '"';
    p = hex(b, p, hi >>> 32, 8);
    b[p++] = '-';
    p = hex(b, p, (hi >>> 16) & 0xFFFF, 4);
    b[p++] = '-';
    p = hex(b, p, hi & 0xFFFF, 4);
    b[p++] = '-';
    p = hex(b, p, lo >>> 48, 4);
    b[p++] = '-';
    p = hex(b, p, lo & 0xFFFFFFFFFFFFL, 12);
    b[p++] = '"';
    count = p;
    return this;
  }

  private static int hex(byte[] b, int p, long v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      b[p++] = HEX[(int) (v >>> (i * 4)) & 0xF];
    }
    return p;
  }

  /** A member whose value is the quoted OSProfiler timestamp text of {@code epochMicros}. */
  JsonWriter timestampField(String name, long epochMicros) {
    name(name);
    put('"');
    byte[] prefix = tsPrefix;
    long secs = Math.floorDiv(epochMicros, 1_000_000L);
    if (prefix != null && secs == tsSecond) {
      // The same second as the last timestamp: its date and time, then the microseconds.
      byte[] b = ensure(Timestamps.LENGTH);
      System.arraycopy(prefix, 0, b, count, prefix.length);
      count = Timestamps.writeMicros(b, count + prefix.length, epochMicros - secs * 1_000_000L);
    } else {
      int start = count;
      Timestamps.write(this, epochMicros);
      if (prefix != null && count - start == Timestamps.LENGTH) {
        System.arraycopy(buf, start, prefix, 0, prefix.length);
        tsSecond = secs;
      }
    }
    put('"');
    return this;
  }

  /** Room for {@code n} more bytes; returns the buffer to write at {@link #position()}. */
  byte[] ensure(int n) {
    if (count + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
    }
    return buf;
  }

  /** After a rollback to just inside an object's brace: the next member is the first. */
  void beginObjectMembers() {
    first = true;
  }

  int position() {
    return count;
  }

  void position(int p) {
    count = p;
  }

  void number(long v) {
    if (v >= 0 && v < 10) {
      put((char) ('0' + v));
    } else {
      ascii(Long.toString(v));
    }
  }

  private void put(char c) {
    if (count == buf.length) {
      ensure(1);
    }
    buf[count++] = (byte) c;
  }

  /** Appends text known to be printable ASCII that needs no escaping. */
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[count++] = (byte) s.charAt(i);
    }
  }

  private void string(String s) {
    put('"');
    chars(s);
    put('"');
  }

  private void chars(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
        if (count == buf.length) {
          ensure(n - i);
        }
        buf[count++] = (byte) c;
        continue;
      }
      switch (c) {
        case '"':
          put('\\');
          put('"');
          break;
        case '\\':
          put('\\');
          put('\\');
          break;
        case '\n':
          put('\\');
          put('n');
          break;
        case '\r':
          put('\\');
          put('r');
          break;
        case '\t':
          put('\\');
          put('t');
          break;
        case '\b':
          put('\\');
          put('b');
          break;
        case '\f':
          put('\\');
          put('f');
          break;
        default:
          // Python's json.dumps default (ensure_ascii=True) escapes every non-ASCII char, one
          // UTF-16 unit at a time (a surrogate pair as two escapes), as this does.
          unicodeEscape(c);
      }
    }
  }

  private void unicodeEscape(char c) {
    ensure(6);
    buf[count++] = '\\';
    buf[count++] = 'u';
    buf[count++] = HEX[(c >>> 12) & 0xF];
    buf[count++] = HEX[(c >>> 8) & 0xF];
    buf[count++] = HEX[(c >>> 4) & 0xF];
    buf[count++] = HEX[c & 0xF];
  }

  /** Encodes one string as a JSON string literal. */
  public static String quote(String s) {
    JsonWriter w = new JsonWriter(s.length() + 2);
    w.string(s);
    return w.toString();
  }

  /** As {@link #quote(String)}, as bytes. */
  static byte[] quoteBytes(String s) {
    JsonWriter w = new JsonWriter(s.length() + 2);
    w.string(s);
    return w.toBytes();
  }
}
