package dev.weft.testapp.subscriber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/** {@code POST /notifications} receives a webhook call; {@code GET} lists what was received. */
final class NotificationsServlet extends HttpServlet {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = 256 * 1024;

  private final NotificationLog log;

  NotificationsServlet(NotificationLog log) {
    this.log = log;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    JsonNode payload;
    try (InputStream in = req.getInputStream()) {
      byte[] body = in.readNBytes(LIMIT + 1);
      if (body.length > LIMIT) {
        write(resp, 413, error("Request body too large", "At most " + LIMIT + " bytes."));
        return;
      }
      payload = JSON.readTree(body);
    } catch (IOException e) {
      write(resp, 400, error("Invalid notification", "Malformed JSON."));
      return;
    }
    try {
      log.record(payload);
    } catch (IllegalArgumentException e) {
      write(resp, 400, error("Invalid notification", e.getMessage()));
      return;
    }
    resp.setStatus(204);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("notifications");
    for (NotificationLog.Notification n : log.all()) {
      ObjectNode o = list.addObject();
      o.put("queue_name", n.queue());
      o.put("id", n.messageId());
      o.set("body", n.body());
    }
    write(resp, 200, out);
  }

  private static ObjectNode error(String title, String description) {
    ObjectNode n = JSON.createObjectNode();
    n.put("title", title);
    n.put("description", description);
    return n;
  }

  private static void write(HttpServletResponse resp, int status, JsonNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json; charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
