package dev.weft.internal.headers;

import dev.weft.internal.context.Ids;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OSProfiler's {@code X-Trace-Info} / {@code X-Trace-HMAC} codec (osprofiler/_utils.py {@code
 * signed_pack}/{@code signed_unpack}, osprofiler/web.py {@code WsgiMiddleware},
 * osprofiler/profiler.py {@code _Profiler}), decision for decision. The header corpus of
 * it-openstack checks every rule below against the real OSProfiler.
 *
 * <p>Info is URL-safe base64 with {@code =} padding of {@code json.dumps({"base_id": ..,
 * "parent_id": ..})}; HMAC is lowercase hex HMAC-SHA1 over the Info text. Verification:
 *
 * <ol>
 *   <li>the MAC is stripped of Python's whitespace ({@code str.strip()}) and compared, in constant
 *       time and case-sensitively, with the MAC of the Info text under each configured key in
 *       order;
 *   <li>the Info text is decoded as {@code base64.urlsafe_b64decode} does: ASCII only ({@code +}
 *       and {@code /} accepted beside {@code -} and {@code _}); characters outside the alphabet
 *       (blanks, tabs, newlines, punctuation) are dropped; a complete {@code =} padding ends the
 *       data and whatever follows it is ignored; a missing padding is an error;
 *   <li>the bytes must be UTF-8 and hold JSON as {@code json.loads} reads it ({@link PyJson});
 *   <li>it must be an object with {@code base_id}, optionally {@code parent_id}, and no other key
 *       but {@code hmac_key} (which OSProfiler overwrites with the matching key);
 *   <li>the ids are taken as OSProfiler's {@code _Profiler} takes them: a {@code base_id} that
 *       Python holds false (null, empty, 0, false, empty list or object) starts a trace under a new
 *       random base_id; a false {@code parent_id} means the base_id. An id that is not a string (a
 *       number, true, a list, an object) is kept as the text {@code json.dumps} writes for it.
 * </ol>
 *
 * Any failure yields {@code null}; nothing here throws. OSProfiler itself has no length limit; Weft
 * refuses headers over {@link #MAX_HEADER_LENGTH} before hashing.
 */
public final class OsprofilerHeaders {
  /**
   * Headers longer than this (in characters) are rejected before any hashing: 64 KiB, the longest
   * header line Python's own HTTP server reads ({@code http.client._MAXLINE}), far above what an
   * OSProfiler client sends (a 1,605-character base_id makes an Info of about 2,200).
   */
  public static final int MAX_HEADER_LENGTH = 65536;

  private OsprofilerHeaders() {}

  /** A verified header pair. {@code parentId} is null when the sender gave none. */
  public record Unpacked(String baseId, String parentId, String hmacKey) {}

  /** The Info text for these ids, byte-identical to OSProfiler's. */
  public static String info(String baseId, String parentId) {
    StringBuilder json = new StringBuilder(96);
    json.append("{\"base_id\": ").append(PyJson.quote(baseId));
    if (parentId != null) {
      json.append(", \"parent_id\": ").append(PyJson.quote(parentId));
    }
    json.append('}');
    return Base64.getUrlEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Lowercase hex HMAC-SHA1 of the Info text. */
  public static String hmac(String info, String key) {
    return hex(mac(key).doFinal(info.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Verifies a header pair against the configured keys; null when OSProfiler would not trace it.
   * The result's {@code baseId} is a new random id when the sender's was empty (as OSProfiler
   * does); its {@code parentId} is null when the sender gave none, or an empty one.
   */
  public static Unpacked verify(String info, String mac, List<String> keys) {
    try {
      if (info == null || mac == null || keys == null || keys.isEmpty()) {
        return null;
      }
      if (info.length() > MAX_HEADER_LENGTH || mac.length() > MAX_HEADER_LENGTH) {
        return null;
      }
      for (int i = 0; i < info.length(); i++) {
        if (info.charAt(i) > 0x7f) {
          return null; // urlsafe_b64decode: "string argument should contain only ASCII characters"
        }
      }
      String trimmed = pyStrip(mac);
      if (trimmed.length() != 40) {
        return null; // a hex SHA-1 has 40 characters; compare_digest of unequal lengths is false
      }
      byte[] given = new byte[40];
      for (int i = 0; i < 40; i++) {
        char c = trimmed.charAt(i);
        if (c > 0x7f) {
          return null; // OSProfiler's compare_digest raises here (its request fails with a 500)
        }
        given[i] = (byte) c;
      }
      byte[] infoBytes = info.getBytes(StandardCharsets.US_ASCII);
      String matched = null;
      for (String key : keys) {
        if (key == null || key.isEmpty()) {
          continue; // OSProfiler's key list never holds an empty key (utils.split drops them)
        }
        byte[] expected = hex(mac(key).doFinal(infoBytes)).getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(expected, given) && matched == null) {
          matched = key;
        }
      }
      if (matched == null) {
        return null;
      }
      byte[] raw = urlsafeB64decode(info);
      if (raw == null) {
        return null;
      }
      return unpack(PyJson.parse(utf8(raw)), matched);
    } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The bytes as UTF-8 text, strictly: bytes that are not UTF-8 are an error, as in Python. ASCII,
   * what OSProfiler's ids are, is read without a decoder.
   */
  static String utf8(byte[] raw) throws java.nio.charset.CharacterCodingException {
    for (byte b : raw) {
      if (b < 0) {
        // REPORT by default: malformed input throws
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
      }
    }
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code base64.urlsafe_b64decode} of an ASCII text, as CPython's {@code binascii.a2b_base64}
   * does it in its default (non-strict) mode; null where it raises.
   */
  static byte[] urlsafeB64decode(String s) {
    byte[] out = new byte[s.length() / 4 * 3 + 3];
    int n = 0;
    int quadPos = 0;
    int left = 0;
    int pads = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') {
        // A pad after two or three data characters of a quad; enough of them end the data.
        if (quadPos >= 2 && quadPos + ++pads >= 4) {
          return java.util.Arrays.copyOf(out, n);
        }
        continue;
      }
      int v = b64value(c);
      if (v < 0) {
        continue; // not in the alphabet: dropped
      }
      pads = 0;
      switch (quadPos) {
        case 0:
          quadPos = 1;
          left = v;
          break;
        case 1:
          quadPos = 2;
          out[n++] = (byte) ((left << 2) | (v >> 4));
          left = v & 0x0f;
          break;
        case 2:
          quadPos = 3;
          out[n++] = (byte) ((left << 4) | (v >> 2));
          left = v & 0x03;
          break;
        default:
          quadPos = 0;
          out[n++] = (byte) ((left << 6) | v);
          left = 0;
      }
    }
    return quadPos == 0 ? java.util.Arrays.copyOf(out, n) : null; // "Incorrect padding"
  }

  private static int b64value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-' || c == '+') {
      return 62;
    }
    if (c == '_' || c == '/') {
      return 63;
    }
    return -1;
  }

  /** Python's {@code str.strip()}: the characters {@code str.isspace()} holds true for. */
  static String pyStrip(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && pySpace(s.charAt(b))) {
      b++;
    }
    while (e > b && pySpace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  static boolean pySpace(char c) {
    if (c <= 0x20) {
      return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
    }
    switch (c) {
      case 0x85:
      case 0xa0:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x202f:
      case 0x205f:
      case 0x3000:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200a;
    }
  }

  /** web.py {@code _trace_is_valid} and profiler.py {@code _Profiler.__init__}. */
  private static Unpacked unpack(Object value, String key) {
    if (!(value instanceof java.util.Map)) {
      return null; // a list, string or number: OSProfiler's contents["hmac_key"] = ... fails
    }
    java.util.Map<?, ?> obj = (java.util.Map<?, ?>) value;
    if (!obj.containsKey("base_id")) {
      return null;
    }
    for (Object k : obj.keySet()) {
      if (!k.equals("base_id") && !k.equals("parent_id") && !k.equals("hmac_key")) {
        return null;
      }
    }
    Object base = obj.get("base_id");
    Object parent = obj.get("parent_id");
    String baseId = PyJson.truthy(base) ? text(base) : Ids.newId();
    String parentId = PyJson.truthy(parent) ? text(parent) : null;
    return new Unpacked(baseId, parentId, key);
  }

  private static String text(Object v) {
    return v instanceof String ? (String) v : PyJson.dumps(v);
  }

  /** Keys a thread keeps an initialised MAC for; more are made afresh (and the kept ones reset). */
  private static final int MACS_PER_THREAD = 8;

  /**
   * Each thread's initialised HMAC-SHA1 per key: looking the algorithm up and keying it cost more
   * than the MAC of a header (about 15 µs a request against 1). {@code doFinal} leaves a {@link
   * Mac} ready for the next message with the same key.
   */
  private static final ThreadLocal<java.util.Map<String, Mac>> MACS =
      ThreadLocal.withInitial(java.util.HashMap::new);

  private static Mac mac(String key) {
    java.util.Map<String, Mac> macs = MACS.get();
    Mac m = macs.get(key);
    if (m == null) {
      if (macs.size() >= MACS_PER_THREAD) {
        macs.clear(); // keys rotated often: keep only those in use
      }
      m = newMac(key);
      macs.put(key, m);
    }
    return m;
  }

  private static Mac newMac(String key) {
    try {
      Mac m = Mac.getInstance("HmacSHA1");
      m.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return m;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] b) {
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }
}
