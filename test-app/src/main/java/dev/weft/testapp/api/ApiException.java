package dev.weft.testapp.api;

import java.util.Map;

/**
 * A request the API refuses: an HTTP status with Zaqar's {@code {"title", "description"}} (falcon's
 * bare {@code {"title": "404 Not Found"}} when there is no description) and any headers the answer
 * carries.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final Map<String, String> headers;

  public ApiException(int status, String title, String description) {
    this(status, title, description, Map.of());
  }

  public ApiException(int status, String title, String description, Map<String, String> headers) {
    super(description, null, false, false);
    this.status = status;
    this.title = title;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The description, or null (falcon's own 404 and 405 have none). */
  public String description() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** Zaqar's {@code HTTPBadRequestAPI}: 400 "Invalid API request". */
  public static ApiException badRequest(String description) {
    return new ApiException(400, "Invalid API request", description);
  }

  /** Zaqar's {@code HTTPBadRequestBody}: 400 "Invalid request body". */
  public static ApiException badBody(String description) {
    return new ApiException(400, "Invalid request body", description);
  }

  /** Zaqar's {@code HTTPNotFound}: 404 "Not found". */
  public static ApiException notFound(String description) {
    return new ApiException(404, "Not found", description);
  }

  /** Zaqar's {@code HTTPConflict}: 409 "Resource conflict". */
  public static ApiException conflict(String description) {
    return new ApiException(409, "Resource conflict", description);
  }

  /** Zaqar's {@code HTTPServiceUnavailable}: 503, the description and "Please try again...". */
  public static ApiException unavailable(String description) {
    return new ApiException(
        503,
        "Service temporarily unavailable",
        description + " Please try again in a few seconds.");
  }

  /** falcon's 404 for a path no resource serves. */
  public static ApiException noRoute() {
    return new ApiException(404, "404 Not Found", null);
  }

  /** falcon's 405, with the methods the resource serves. */
  public static ApiException notAllowed(String allow) {
    return new ApiException(405, "405 Method Not Allowed", null, Map.of("Allow", allow));
  }
}
