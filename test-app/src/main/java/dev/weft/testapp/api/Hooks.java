package dev.weft.testapp.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Zaqar's WSGI "before" hooks, in its order: the pre-signed URL check, no form-encoded bodies, the
 * Client-ID, the X-Project-ID, the queue name.
 */
final class Hooks {
  private static final Pattern QUEUE_NAME = Pattern.compile("[a-zA-Z0-9_\\-.]+");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");
  static final int QUEUE_NAME_MAX_LEN = 64;
  static final int PROJECT_ID_MAX_LEN = 256;

  private Hooks() {}

  static Call before(
      HttpServletRequest req,
      HttpServletResponse resp,
      List<String> path,
      String queue,
      ApiService.Settings settings) {
    SignedUrls.verify(req, settings.signedUrlKey());
    String contentType = req.getContentType();
    if (req.getContentLengthLong() >= 0
        && contentType != null
        && contentType.toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
      throw new ApiException(
          400,
          "Invalid Content-Type",
          "Endpoint does not accept `application/x-www-form-urlencoded` content; currently"
              + " supported media type is `application/json`; specify proper client-side media"
              + " type with the \"Content-Type\" header.");
    }
    String clientId = clientId(req.getHeader("Client-ID"), settings.strictHeaders());
    String project = req.getHeader("X-Project-ID");
    if (project != null && project.isEmpty()) {
      throw new ApiException(
          400,
          "Empty project header not allowed",
          "X-PROJECT-ID cannot be an empty string. Specify the right header X-PROJECT-ID and"
              + " retry.");
    }
    if (project == null && settings.strictHeaders()) {
      throw new ApiException(400, "Project-Id Missing", "The header X-PROJECT-ID was missing");
    }
    if (queue != null && !validQueue(queue, project)) {
      throw new ApiException(
          400,
          "Invalid queue identification",
          "The format of the submitted queue name or project id is not valid.");
    }
    return new Call(req, resp, path, clientId, project);
  }

  /** Zaqar's queue identification: the name's characters and length, the project's length. */
  static boolean validQueue(String queue, String project) {
    return (project == null || project.length() <= PROJECT_ID_MAX_LEN)
        && queue.length() <= QUEUE_NAME_MAX_LEN
        && QUEUE_NAME.matcher(queue).matches();
  }

  /**
   * The Client-ID as canonical UUID text; Zaqar's strict check (Python's {@code uuid.UUID}: 32 hex
   * digits, dashes, braces and a {@code urn:uuid:} prefix allowed). Missing: 400 when required,
   * else null.
   */
  static String clientId(String header, boolean required) {
    if (header == null) {
      if (required) {
        throw new ApiException(
            400, "Missing header value", "The \"Client-ID\" header is required.");
      }
      return null;
    }
    String hex = header.replace("urn:", "").replace("uuid:", "");
    hex = strip(hex, '{', '}').replace("-", "");
    if (!HEX32.matcher(hex).matches()) {
      throw new ApiException(400, "Wrong UUID value", "Malformed hexadecimal UUID.");
    }
    String h = hex.toLowerCase(Locale.ROOT);
    return UUID.fromString(
            h.substring(0, 8)
                + "-"
                + h.substring(8, 12)
                + "-"
                + h.substring(12, 16)
                + "-"
                + h.substring(16, 20)
                + "-"
                + h.substring(20))
        .toString();
  }

  private static String strip(String s, char a, char b) {
    int i = 0;
    int j = s.length();
    while (i < j && (s.charAt(i) == a || s.charAt(i) == b)) {
      i++;
    }
    while (j > i && (s.charAt(j - 1) == a || s.charAt(j - 1) == b)) {
      j--;
    }
    return s.substring(i, j);
  }
}
