package dev.weft.testapp.subscriber;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.annotations.NotTraced;
import dev.weft.annotations.Traced;
import java.util.ArrayList;
import java.util.List;

/**
 * The subscriber's work: checks each webhook notification and keeps it in memory, newest last.
 * Every public method is traced (span names {@code NotificationLog.record}, ...).
 */
@Traced
public class NotificationLog {
  /** A notification as received. */
  public record Notification(String queue, String messageId, JsonNode body, long receivedMillis) {}

  private final List<Notification> received = new ArrayList<>();

  /**
   * Records a webhook payload {@code {"queue_name", "Message_Type", "body", "ttl", "id"}}.
   *
   * @throws IllegalArgumentException when the payload is not a notification
   */
  public Notification record(JsonNode payload) {
    Notification n = validate(payload);
    synchronized (received) {
      received.add(n);
    }
    return n;
  }

  @Traced(name = "notification_validate")
  Notification validate(JsonNode payload) {
    if (payload == null
        || !payload.isObject()
        || !payload.path("queue_name").isTextual()
        || !payload.has("body")) {
      throw new IllegalArgumentException("not a queue notification");
    }
    return new Notification(
        payload.get("queue_name").asText(),
        payload.path("id").asText(null),
        payload.get("body"),
        System.currentTimeMillis());
  }

  /** Everything received so far, oldest first. */
  @NotTraced
  public List<Notification> all() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }
}
