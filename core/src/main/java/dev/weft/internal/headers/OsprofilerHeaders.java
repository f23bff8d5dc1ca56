package dev.weft.internal.headers;

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
 * signed_pack}/{@code signed_unpack}).
 *
 * <p>Info is URL-safe base64 with {@code =} padding of {@code json.dumps({"base_id": ..,
 * "parent_id": ..})}; HMAC is lowercase hex HMAC-SHA1 over the Info text. Verification trims the
 * MAC, tries each key in order with a constant-time compare, then decodes (padding required, {@code
 * +}/{@code /} accepted too) and requires a JSON object with {@code base_id}, an optional {@code
 * parent_id} and nothing else. Any failure yields {@code null}; nothing here throws.
 */
public final class OsprofilerHeaders {
  /** Headers longer than this are rejected before any hashing. */
  public static final int MAX_HEADER_LENGTH = 4096;

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

  /** Verifies a header pair against the configured keys; null when it does not verify. */
  public static Unpacked verify(String info, String mac, List<String> keys) {
    try {
      if (info == null || mac == null || keys == null || keys.isEmpty()) {
        return null;
      }
      if (info.length() > MAX_HEADER_LENGTH || mac.length() > MAX_HEADER_LENGTH) {
        return null;
      }
      String trimmed = mac.strip();
      if (trimmed.length() != 40) {
        return null;
      }
      byte[] given = trimmed.getBytes(StandardCharsets.US_ASCII);
      byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
      String matched = null;
      for (String key : keys) {
        byte[] expected = hex(mac(key).doFinal(infoBytes)).getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(expected, given) && matched == null) {
          matched = key;
        }
      }
      if (matched == null) {
        return null;
      }
      String json = decode(info);
      if (json == null) {
        return null;
      }
      return parse(json, matched);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String decode(String info) {
    if (info.length() % 4 != 0) {
      return null; // Python's b64decode requires padding
    }
    String normalized = info.replace('+', '-').replace('/', '_');
    try {
      byte[] raw = Base64.getUrlDecoder().decode(normalized);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
    } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static Unpacked parse(String json, String key) {
    java.util.Map<String, Object> obj = PyJson.parseFlatObject(json);
    if (obj == null) {
      return null;
    }
    Object base = obj.get("base_id");
    if (!(base instanceof String)) {
      return null;
    }
    for (String k : obj.keySet()) {
      if (!k.equals("base_id") && !k.equals("parent_id")) {
        return null;
      }
    }
    Object parent = obj.get("parent_id");
    if (obj.containsKey("parent_id") && !(parent instanceof String)) {
      return null;
    }
    return new Unpacked((String) base, (String) parent, key);
  }

  private static Mac mac(String key) {
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
