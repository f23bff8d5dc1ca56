package dev.weft.testapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * A response of the queue API.
 *
 * @param status the HTTP status
 * @param body the JSON body, or null when there was none
 * @param headers the response headers the client keeps (lower-case names: location, x-queue-pool)
 */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers) {

  public ApiResponse(int status, JsonNode body) {
    this(status, body, Map.of());
  }

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status / 100 == 2;
  }

  /** A kept response header, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The last path segment of the Location header (a claim's id after a claim create), or null. */
  public String locationId() {
    String location = header("location");
    return location == null ? null : location.substring(location.lastIndexOf('/') + 1);
  }

  /** {@code "404 Not found: Queue q does not exist."} for an error, the status otherwise. */
  public String summary() {
    if (body != null && body.has("title")) {
      return body.has("description")
          ? status + " " + body.path("title").asText() + ": " + body.path("description").asText()
          : status + " " + body.path("title").asText();
    }
    return String.valueOf(status);
  }
}
