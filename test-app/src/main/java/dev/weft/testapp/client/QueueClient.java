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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A client of the queue API, one method per operation. Every request carries, as
 * python-zaqarclient's do, a Client-ID (one UUID per client) and an X-Project-ID, and the active
 * trace's headers ({@link TraceHeaders#outgoing()}: X-Trace-Info, X-Trace-HMAC, traceparent), so
 * inside a profiled session ({@code Trace.beginClient(key)}) the services join the client's trace.
 * Each operation is a span ({@code QueueClient.postMessages}, ...) when tracing is enabled here.
 */
@Traced
public class QueueClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The X-Project-ID of a client that names none. */
  public static final String DEFAULT_PROJECT = "weft-test-app";

  private final URI base;
  private final HttpClient http;
  private final String clientId;
  private final String project;

  /** A client of the service at {@code base}, e.g. {@code http://127.0.0.1:8888}. */
  public QueueClient(URI base) {
    this(base, UUID.randomUUID().toString(), DEFAULT_PROJECT);
  }

  /** A client with its own Client-ID and X-Project-ID. */
  public QueueClient(URI base, String clientId, String project) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.clientId = clientId;
    this.project = project;
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

  /**
   * {@code GET /v2/queues/{name}}: the metadata with Zaqar's reserved defaults; the pool in the
   * {@code X-Queue-Pool} header.
   */
  public ApiResponse getQueue(String name) throws IOException {
    return send("GET", "/v2/queues/" + seg(name), null);
  }

  /** {@code PATCH /v2/queues/{name}} with json-patch operations on {@code /metadata/...}. */
  public ApiResponse patchQueue(String name, JsonNode operations) throws IOException {
    return send(
        "PATCH",
        "/v2/queues/" + seg(name),
        operations,
        "application/openstack-messaging-v2.0-json-patch");
  }

  /** {@code GET /v2/queues/{name}/stats}. */
  public ApiResponse queueStats(String name) throws IOException {
    return send("GET", "/v2/queues/" + seg(name) + "/stats", null);
  }

  /** {@code POST /v2/queues/{name}/purge}, all resource types when none are given. */
  public ApiResponse purgeQueue(String name, List<String> resourceTypes) throws IOException {
    ObjectNode doc = null;
    if (resourceTypes != null) {
      doc = JSON.createObjectNode();
      ArrayNode types = doc.putArray("resource_types");
      resourceTypes.forEach(types::add);
    }
    return send("POST", "/v2/queues/" + seg(name) + "/purge", doc);
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

  /** {@code GET /v2/queues/{name}/messages?limit=N}: not this client's own, not claimed ones. */
  public ApiResponse listMessages(String queue, int limit) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/messages?limit=" + limit, null);
  }

  /** {@code GET /v2/queues/{name}/messages?limit=N&echo=..&include_claimed=..}. */
  public ApiResponse listMessages(String queue, int limit, boolean echo, boolean includeClaimed)
      throws IOException {
    return send(
        "GET",
        "/v2/queues/"
            + seg(queue)
            + "/messages?limit="
            + limit
            + "&echo="
            + echo
            + "&include_claimed="
            + includeClaimed,
        null);
  }

  /** {@code GET /v2/queues/{name}/messages?ids=...}. */
  public ApiResponse getMessages(String queue, List<String> ids) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/messages?ids=" + ids(ids), null);
  }

  /** {@code DELETE /v2/queues/{name}/messages?ids=...}. */
  public ApiResponse deleteMessages(String queue, List<String> ids) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/messages?ids=" + ids(ids), null);
  }

  /** {@code DELETE /v2/queues/{name}/messages?pop=N}: the popped messages. */
  public ApiResponse popMessages(String queue, int count) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/messages?pop=" + count, null);
  }

  private static String ids(List<String> ids) {
    List<String> out = new ArrayList<>();
    ids.forEach(i -> out.add(seg(i)));
    return String.join(",", out);
  }

  /** {@code GET /v2/queues/{name}/messages/{id}}. */
  public ApiResponse getMessage(String queue, String id) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/messages/" + seg(id), null);
  }

  /** {@code DELETE /v2/queues/{name}/messages/{id}}. */
  public ApiResponse deleteMessage(String queue, String id) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/messages/" + seg(id), null);
  }

  /** {@code DELETE /v2/queues/{name}/messages/{id}?claim_id=C}: a claimed message. */
  public ApiResponse deleteMessage(String queue, String id, String claimId) throws IOException {
    return send(
        "DELETE",
        "/v2/queues/" + seg(queue) + "/messages/" + seg(id) + "?claim_id=" + seg(claimId),
        null);
  }

  // ---- claims

  /**
   * {@code POST /v2/queues/{name}/claims?limit=N} with {@code {"ttl", "grace"}}: 201 with the
   * claimed messages (the claim in the Location header), 204 when there were none.
   */
  public ApiResponse createClaim(String queue, int ttl, int grace, int limit) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("ttl", ttl);
    doc.put("grace", grace);
    return send("POST", "/v2/queues/" + seg(queue) + "/claims?limit=" + limit, doc);
  }

  /** {@code GET /v2/queues/{name}/claims/{id}}. */
  public ApiResponse getClaim(String queue, String claimId) throws IOException {
    return send("GET", "/v2/queues/" + seg(queue) + "/claims/" + seg(claimId), null);
  }

  /** {@code PATCH /v2/queues/{name}/claims/{id}} with {@code {"ttl", "grace"}}. */
  public ApiResponse updateClaim(String queue, String claimId, int ttl, int grace)
      throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("ttl", ttl);
    doc.put("grace", grace);
    return send("PATCH", "/v2/queues/" + seg(queue) + "/claims/" + seg(claimId), doc);
  }

  /** {@code DELETE /v2/queues/{name}/claims/{id}}: releases the claimed messages. */
  public ApiResponse deleteClaim(String queue, String claimId) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/claims/" + seg(claimId), null);
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

  /** {@code GET /v2/pools?limit=N&marker=M}: one page. */
  public ApiResponse listPools(int limit, String marker) throws IOException {
    return send(
        "GET", "/v2/pools?limit=" + limit + (marker == null ? "" : "&marker=" + seg(marker)), null);
  }

  /** {@code DELETE /v2/pools/{name}}. */
  public ApiResponse deletePool(String name) throws IOException {
    return send("DELETE", "/v2/pools/" + seg(name), null);
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

  /** {@code DELETE /v2/queues/{name}/subscriptions/{id}}. */
  public ApiResponse deleteSubscription(String queue, String id) throws IOException {
    return send("DELETE", "/v2/queues/" + seg(queue) + "/subscriptions/" + seg(id), null);
  }

  /** {@code GET /v2/queues?limit=N&marker=M}: one page of queues. */
  public ApiResponse listQueues(int limit, String marker) throws IOException {
    return send(
        "GET",
        "/v2/queues?limit=" + limit + (marker == null ? "" : "&marker=" + seg(marker)),
        null);
  }

  // ---- transport

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private ApiResponse send(String method, String path, JsonNode body) throws IOException {
    return send(method, path, body, "application/json");
  }

  /** Sends a request with the trace headers of the current span, if a trace is active. */
  private ApiResponse send(String method, String path, JsonNode body, String contentType)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json")
            .header("Client-ID", clientId)
            .header("X-Project-ID", project);
    for (Map.Entry<String, String> h : TraceHeaders.outgoing().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    if (body != null) {
      b.header("Content-Type", contentType);
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
      Map<String, String> kept = new LinkedHashMap<>();
      for (String h : List.of("location", "x-queue-pool")) {
        r.headers().firstValue(h).ifPresent(v -> kept.put(h, v));
      }
      return new ApiResponse(r.statusCode(), parsed, kept);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
