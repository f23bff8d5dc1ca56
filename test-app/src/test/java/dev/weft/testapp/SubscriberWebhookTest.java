package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.subscriber.NotificationLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Posting to a queue with a subscription makes the API POST each message to the webhook. */
class SubscriberWebhookTest {
  static Fixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new Fixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void postedMessagesAreDeliveredToTheSubscriber() throws Exception {
    f.queueIn("notified", "mongo");
    f.queueIn("quiet", "mongo");
    assertThat(f.client.createSubscription("notified", f.subscriber.webhookUrl(), 3600).status())
        .isEqualTo(201);
    int before = f.subscriber.log().all().size();

    ApiResponse posted =
        f.client.postMessages(
            "notified",
            List.of(
                new QueueClient.Message(json("{\"order\": 7}"), 300),
                new QueueClient.Message(json("\"second\""), 300)));
    assertThat(posted.status()).isEqualTo(201);
    f.client.postMessages("quiet", List.of(new QueueClient.Message(json("0"), 300)));

    List<NotificationLog.Notification> got = f.subscriber.log().all();
    assertThat(got).hasSize(before + 2);
    String first = posted.body().path("resources").get(0).asText();
    String second = posted.body().path("resources").get(1).asText();
    NotificationLog.Notification n1 = got.get(before);
    NotificationLog.Notification n2 = got.get(before + 1);
    assertThat(n1.queue()).isEqualTo("notified");
    assertThat(n1.messageId()).isEqualTo(first.substring(first.lastIndexOf('/') + 1));
    assertThat(n1.body()).isEqualTo(json("{\"order\": 7}"));
    assertThat(n2.queue()).isEqualTo("notified");
    assertThat(n2.messageId()).isEqualTo(second.substring(second.lastIndexOf('/') + 1));
    assertThat(n2.body()).isEqualTo(json("\"second\""));

    HttpResponse<String> listed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(f.subscriber.webhookUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(json(listed.body()).path("notifications").get(before))
        .isEqualTo(
            json(
                "{\"queue_name\": \"notified\", \"id\": \""
                    + n1.messageId()
                    + "\", \"body\": {\"order\": 7}}"));
  }

  @Test
  void anUnreachableSubscriberDoesNotFailThePost() throws Exception {
    f.queueIn("dead-hook", "sql");
    int port = dev.weft.testapp.demo.EmbeddedServers.freePort();
    f.client.createSubscription("dead-hook", "http://127.0.0.1:" + port + "/gone", 3600);
    ApiResponse posted =
        f.client.postMessages("dead-hook", List.of(new QueueClient.Message(json("1"), 300)));
    assertThat(posted.status()).isEqualTo(201);
    assertThat(f.client.listMessages("dead-hook", 10, true, false).body().path("messages"))
        .hasSize(1);
  }

  @Test
  void theSubscriberRefusesWhatIsNotANotification() throws Exception {
    int before = f.subscriber.log().all().size();
    HttpClient http = HttpClient.newHttpClient();
    for (String body : List.of("{\"no\": \"queue\"}", "{not json")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(f.subscriber.webhookUrl()))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r.body()).path("title").asText()).isEqualTo("Invalid notification");
    }
    assertThat(f.subscriber.log().all()).hasSize(before);
  }
}
