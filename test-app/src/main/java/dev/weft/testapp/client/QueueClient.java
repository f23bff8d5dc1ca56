package dev.weft.testapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.TraceHeaders;
import dev.weft.annotations.Traced;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A client of the queue API, one method per operation. Every request carries the active trace's
 * headers ({@link TraceHeaders#outgoing()}: X-Trace-Info, X-Trace-HMAC, traceparent), so inside a
 * profiled session ({@code Trace.beginClient(key)}) the services join the client's trace. Each
 * operation is a span ({@code QueueClient.postMessages}, ...) when tracing is enabled here.
 */
@Traced
public class QueueClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  /** A client of the service at {@code base}, e.g. {@code http://127.0.0.1:8888}. */
  public QueueClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A message to post. */
  public record Message(JsonNode body, int ttl) {}

  // ---- queues

  /** {@code PUT /v2/queues/{name}}: 201 created, 204 already there. */
  public ApiResponse createQueue(String name, JsonNode metadata) throws IOException {
    return send("PUT", "/v2/queues/" + seg(name), metadata);
  }

  /** {@code GET /v2/queues}. */
  public ApiResponse listQueues() throws IOException {
    return send("GET", "/v2/queues", null);
  }

  /** {@code GET /v2/queues/{name}}: the metadata, with the pool as {@code _pool}. */
  public ApiResponse getQueue(String name) throws IOException {
    return send("GET", "/v2/queues/" + seg(name), null);
  }

  /** {@code DELETE /v2/queues/{name}}. */
  public ApiResponse deleteQueue(String name) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(name), null);
  }

  // ---- messages

  /** {@code POST /v2/queues/{name}/messages}: {@code {"resources": [hrefs]}}. */
  public ApiResponse postMessages(String queue, List<Message> messages) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode list = doc.putArray("messages");
    for (Message m : messages) {
      ObjectNode n = list.addObject();
      n.set("body", m.body());
      n.put("ttl", m.ttl());
    }
    return send("POST", "/v2/queues/" + seg(queue) + "/messages", doc);
  }

  /** {@code GET /v2/queues/{name}/messages?limit=N}. */
  public ApiResponse listMessages(String queue, int limit) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/messages?limit=" + limit, null);
  }

  /** {@code GET /v2/queues/{name}/messages/{id}}. */
  public ApiResponse getMessage(String queue, String id) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/messages/" + seg(id), null);
  }

  /** {@code DELETE /v2/queues/{name}/messages/{id}}. */
  public ApiResponse deleteMessage(String queue, String id) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/messages/" + seg(id), null);
  }

  // ---- pools

  /** {@code PUT /v2/pools/{name}} with {@code {"uri", "weight"}}. */
  public ApiResponse registerPool(String name, String uri, int weight) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("uri", uri);
    doc.put("weight", weight);
    return send("PUT", "/v2/pools/" + seg(name), doc);
  }

  /** {@code GET /v2/pools}. */
  public ApiResponse listPools() throws IOException {
    return send("GET", "/v2/pools", null);
  }

  // ---- subscriptions

  /** {@code POST /v2/queues/{name}/subscriptions}: {@code {"subscription_id"}}. */
  public ApiResponse createSubscription(String queue, String subscriber, int ttl)
      throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("subscriber", subscriber);
    doc.put("ttl", ttl);
    doc.putObject("options");
    return send("POST", "/v2/queues/" + seg(queue) + "/subscriptions", doc);
  }

  /** {@code GET /v2/queues/{name}/subscriptions}. */
  public ApiResponse listSubscriptions(String queue) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/subscriptions", null);
  }

  // ---- transport

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends a request with the trace headers of the current span, if a trace is active. */
  private ApiResponse send(String method, String path, JsonNode body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    for (Map.Entry<String, String> h : TraceHeaders.outgoing().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String text = r.body();
      JsonNode parsed = null;
      if (text != null && !text.isBlank()) {
        try {
          parsed = JSON.readTree(text);
        } catch (IOException e) {
          parsed = JSON.getNodeFactory().textNode(text);
        }
      }
      return new ApiResponse(r.statusCode(), parsed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
