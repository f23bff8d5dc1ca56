package dev.weft.testapp.api;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Zaqar's pre-signed URLs ({@code zaqar.common.urls}): an HMAC-SHA256, in hex, over {@code
 * paths\nmethods\nproject\nexpires} (the two characters backslash and n, as Zaqar writes it), paths
 * and methods sorted and comma-joined, the project as Python prints it ({@code None}), the expiry
 * as {@code %Y-%m-%dT%H:%M:%S} UTC.
 */
final class SignedUrls {
  private static final DateTimeFormatter EXPIRES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private SignedUrls() {}

  /** What {@code POST /v2/queues/{q}/share} answers. */
  record Signed(
      List<String> paths, List<String> methods, String project, String expires, String signature) {}

  /**
   * Zaqar's {@code create_signed_url}; {@code expires} null: a day from now.
   *
   * @throws IllegalArgumentException with Zaqar's message for a bad input
   */
  static Signed create(
      String key, List<String> paths, String project, String expires, List<String> methods) {
    if (methods == null || methods.isEmpty()) {
      methods = List.of("GET");
    }
    if (key == null) {
      throw new IllegalArgumentException("The `key` can't be None");
    }
    if (paths == null || paths.isEmpty()) {
      throw new IllegalArgumentException("`paths` must be a non-empty list");
    }
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    LocalDateTime at;
    if (expires != null) {
      if (expires.strip().matches("[+-]?\\d+")) {
        throw new IllegalArgumentException(
            "`expires` should be date format, for example 2016-01-01T00:00:00, not integer value: "
                + Long.parseLong(expires.strip()));
      }
      at = parseIso(expires);
    } else {
      at = now.plusDays(1);
    }
    if (!at.isAfter(now)) {
      throw new IllegalArgumentException("`expires` is lower than the current time");
    }
    List<String> sortedMethods = new ArrayList<>(methods);
    sortedMethods.sort(null);
    List<String> sortedPaths = new ArrayList<>(paths);
    sortedPaths.sort(null);
    String expiresText = EXPIRES.format(at.truncatedTo(ChronoUnit.SECONDS));
    String body =
        String.join(",", sortedPaths)
            + "\\n"
            + String.join(",", sortedMethods)
            + "\\n"
            + (project == null ? "None" : project)
            + "\\n"
            + expiresText;
    return new Signed(sortedPaths, sortedMethods, project, expiresText, hmac(key, body));
  }

  /** ISO 8601 as oslo's {@code parse_isotime} and {@code normalize_time} read it: naive = UTC. */
  static LocalDateTime parseIso(String text) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("Unable to parse date string '" + text + "'");
      }
    }
  }

  private static String hmac(String key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Zaqar's {@code verify_pre_signed_url} hook: a request with {@code URL-Signature} must use one
   * of the signed methods on a path one of the signed paths matches (a regular expression search,
   * as Zaqar does), and the signature must verify; otherwise falcon's 404.
   */
  static void verify(HttpServletRequest req, String key) {
    String signature = req.getHeader("URL-Signature");
    if (signature == null) {
      return;
    }
    String project = req.getHeader("X-Project-ID");
    String expires = req.getHeader("URL-Expires");
    List<String> methods = split(req.getHeader("URL-Methods"));
    List<String> paths = split(req.getHeader("URL-Paths"));
    if (!methods.contains(req.getMethod())) {
      throw ApiException.noRoute();
    }
    String path = req.getRequestURI();
    boolean matched = false;
    for (String p : paths) {
      try {
        if (!p.isEmpty() && Pattern.compile(p).matcher(path).find()) {
          matched = true;
        }
      } catch (PatternSyntaxException e) {
        // an unusable path matches nothing
      }
    }
    if (!matched) {
      throw ApiException.noRoute();
    }
    Signed expected;
    try {
      expected = create(key, paths, project, expires, methods);
    } catch (IllegalArgumentException e) {
      throw ApiException.noRoute();
    }
    if (!MessageDigest.isEqual(
        expected.signature().getBytes(StandardCharsets.UTF_8),
        signature.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.noRoute();
    }
  }

  private static List<String> split(String header) {
    return header == null ? List.of("") : Arrays.asList(header.split(",", -1));
  }
}
