package dev.weft.testapp.api;

/** A request the API refuses: an HTTP status with Zaqar's {@code {"title", "description"}}. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String title;

  public ApiException(int status, String title, String description) {
    super(description, null, false, false);
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public static ApiException badRequest(String description) {
    return new ApiException(400, "Invalid API request", description);
  }

  public static ApiException notFound(String description) {
    return new ApiException(404, "Not found", description);
  }
}
