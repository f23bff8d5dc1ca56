package dev.weft.testapp.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A response of the queue API.
 *
 * @param status the HTTP status
 * @param body the JSON body, or null when there was none
 */
public record ApiResponse(int status, JsonNode body) {

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status / 100 == 2;
  }

  /** {@code "404 Not found: Queue q does not exist."} for an error, the status otherwise. */
  public String summary() {
    if (body != null && body.has("title")) {
      return status + " " + body.path("title").asText() + ": " + body.path("description").asText();
    }
    return String.valueOf(status);
  }
}
