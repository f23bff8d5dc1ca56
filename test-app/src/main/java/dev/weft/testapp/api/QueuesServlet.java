package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.QueueRecord;
import dev.weft.testapp.management.SubscriptionRecord;
import dev.weft.testapp.storage.StoredMessage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code /v2/queues}, {@code /v2/queues/{name}}, {@code /v2/queues/{name}/messages[/{id}]} and
 * {@code /v2/queues/{name}/subscriptions}, as in Zaqar's v2 API.
 */
final class QueuesServlet extends ApiServlet {
  private final QueueService service;
  private final int bodyLimit;

  QueuesServlet(QueueService service, int bodyLimit) {
    this.service = service;
    this.bodyLimit = bodyLimit;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.isEmpty()) {
            JsonIo.write(resp, 200, queueList());
          } else if (p.size() == 1) {
            JsonIo.write(resp, 200, queueDoc(service.queue(p.get(0))));
          } else if (p.size() == 2 && p.get(1).equals("messages")) {
            int limit = intParam(req, "limit", 10);
            JsonIo.write(resp, 200, messageList(p.get(0), service.listMessages(p.get(0), limit)));
          } else if (p.size() == 3 && p.get(1).equals("messages")) {
            JsonIo.write(resp, 200, messageDoc(p.get(0), service.message(p.get(0), p.get(2))));
          } else if (p.size() == 2 && p.get(1).equals("subscriptions")) {
            JsonIo.write(resp, 200, subscriptionList(p.get(0), service.subscriptions(p.get(0))));
          } else {
            throw noSuchPath();
          }
        });
  }

  @Override
  protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.size() != 1) {
            throw p.isEmpty() ? notAllowed() : noSuchPath();
          }
          JsonNode body = JsonIo.readBody(req, bodyLimit);
          String metadata = "{}";
          if (body != null) {
            metadata = requireObject(body).toString();
          }
          boolean created = service.createQueue(p.get(0), metadata);
          resp.setHeader("Location", "/v2/queues/" + p.get(0));
          JsonIo.write(resp, created ? 201 : 204, null);
        });
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.size() == 2 && p.get(1).equals("messages")) {
            JsonNode body = JsonIo.readBody(req, bodyLimit);
            List<QueueService.NewMessage> messages = QueueService.parseMessages(body);
            List<StoredMessage> stored = service.postMessages(p.get(0), messages);
            ObjectNode out = JsonIo.object();
            ArrayNode res = out.putArray("resources");
            for (StoredMessage m : stored) {
              res.add(messageHref(p.get(0), m.id()));
            }
            JsonIo.write(resp, 201, out);
          } else if (p.size() == 2 && p.get(1).equals("subscriptions")) {
            JsonNode body = requireObject(JsonIo.readBody(req, bodyLimit));
            JsonNode sub = body.get("subscriber");
            JsonNode ttl = body.get("ttl");
            if (ttl != null && !ttl.isIntegralNumber()) {
              throw ApiException.badRequest("\"ttl\" must be an integer.");
            }
            JsonNode options = body.get("options");
            if (options != null && !options.isObject()) {
              throw ApiException.badRequest("\"options\" must be an object.");
            }
            String id =
                service.subscribe(
                    p.get(0),
                    sub == null || !sub.isTextual() ? null : sub.asText(),
                    ttl == null ? QueueService.DEFAULT_TTL : ttl.intValue(),
                    options == null ? "{}" : options.toString());
            ObjectNode out = JsonIo.object();
            out.put("subscription_id", id);
            JsonIo.write(resp, 201, out);
          } else {
            throw p.size() == 2 ? noSuchPath() : notAllowed();
          }
        });
  }

  @Override
  protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.size() == 1) {
            service.deleteQueue(p.get(0));
          } else if (p.size() == 3 && p.get(1).equals("messages")) {
            service.deleteMessage(p.get(0), p.get(2));
          } else {
            throw p.isEmpty() ? notAllowed() : noSuchPath();
          }
          JsonIo.write(resp, 204, null);
        });
  }

  private JsonNode queueList() {
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("queues");
    for (QueueRecord q : service.queues()) {
      ObjectNode n = list.addObject();
      n.put("name", q.getName());
      n.put("href", "/v2/queues/" + q.getName());
    }
    out.putArray("links");
    return out;
  }

  /** The queue's metadata, plus the pool it maps to as {@code _pool}. */
  private static JsonNode queueDoc(QueueRecord q) {
    JsonNode meta = JsonIo.parse(q.getMetadata());
    ObjectNode out = meta.isObject() ? ((ObjectNode) meta).deepCopy() : JsonIo.object();
    out.put("_pool", q.getPool());
    return out;
  }

  private static String messageHref(String queue, String id) {
    return "/v2/queues/" + queue + "/messages/" + id;
  }

  private static ObjectNode messageDoc(String queue, StoredMessage m) {
    ObjectNode n = JsonIo.object();
    n.put("id", m.id());
    n.put("href", messageHref(queue, m.id()));
    n.put("ttl", m.ttl());
    n.put("age", Math.max(0, (System.currentTimeMillis() - m.createdMillis()) / 1000));
    n.set("body", JsonIo.parse(m.body()));
    return n;
  }

  private static JsonNode messageList(String queue, List<StoredMessage> messages) {
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : messages) {
      list.add(messageDoc(queue, m));
    }
    out.putArray("links");
    return out;
  }

  private static JsonNode subscriptionList(String queue, List<SubscriptionRecord> subs) {
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("subscriptions");
    long now = System.currentTimeMillis();
    for (SubscriptionRecord s : subs) {
      ObjectNode n = list.addObject();
      n.put("id", s.getId());
      n.put("source", queue);
      n.put("subscriber", s.getSubscriber());
      n.put("ttl", s.getTtl());
      n.put("age", Math.max(0, (now - s.getCreated()) / 1000));
      n.set("options", JsonIo.parse(s.getOptions()));
    }
    return out;
  }
}
