package dev.weft.testapp.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.SubscriptionRecord;
import dev.weft.testapp.storage.StoredMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers posted messages to webhook subscribers as Zaqar's webhook task does: one JSON POST per
 * message and subscriber, {@code {"queue_name", "Message_Type": "Notification", "body", "ttl",
 * "id"}}, synchronously with the JDK {@link HttpClient}. A failed delivery is logged and does not
 * fail the post.
 */
public final class WebhookNotifier {
  private static final Logger LOG = Logger.getLogger(WebhookNotifier.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** Posts each message to each live subscription; returns how many deliveries got a 2xx. */
  public int deliver(String queue, List<SubscriptionRecord> subs, List<StoredMessage> messages) {
    int delivered = 0;
    long now = System.currentTimeMillis();
    for (SubscriptionRecord s : subs) {
      if (s.expiredAt(now)) {
        continue;
      }
      for (StoredMessage m : messages) {
        if (post(s.getSubscriber(), payload(queue, m))) {
          delivered++;
        }
      }
    }
    return delivered;
  }

  static String payload(String queue, StoredMessage m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("queue_name", queue);
    n.put("Message_Type", "Notification");
    try {
      n.set("body", JSON.readTree(m.body()));
    } catch (Exception e) {
      n.put("body", m.body());
    }
    n.put("ttl", m.ttl());
    n.put("id", m.id());
    return n.toString();
  }

  private boolean post(String url, String json) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() / 100 == 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "webhook delivery to {0} failed: {1}", new Object[] {url, e});
      return false;
    }
  }
}
