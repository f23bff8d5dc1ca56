package dev.weft.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.demo.EmbeddedServers;
import dev.weft.testapp.subscriber.SubscriberService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real servers for a test class: redis-server, mongo-java-server, the API service on H2 and the
 * subscriber, all on 127.0.0.1 and free ports, with one pool of each kind registered.
 */
final class Fixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final EmbeddedServers.Redis redis;
  final EmbeddedServers.Mongo mongo;
  final ApiService api;
  final SubscriberService subscriber;
  final QueueClient client;
  final Map<String, String> poolUris;

  Fixture() throws Exception {
    this(null, null);
  }

  /**
   * With the API and the subscriber naming their spans' service ({@code weft.service} init
   * parameter of each context); null: the process-wide name.
   */
  Fixture(String apiService, String subscriberService) throws Exception {
    this(
        EmbeddedServers.redis(),
        EmbeddedServers.mongo(),
        "jdbc:h2:mem:management-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        null,
        apiService,
        subscriberService);
  }

  Fixture(
      EmbeddedServers.Redis redis,
      EmbeddedServers.Mongo mongo,
      String managementUrl,
      Map<String, String> poolUris)
      throws Exception {
    this(redis, mongo, managementUrl, poolUris, null, null);
  }

  Fixture(
      EmbeddedServers.Redis redis,
      EmbeddedServers.Mongo mongo,
      String managementUrl,
      Map<String, String> poolUris,
      String apiService,
      String subscriberService)
      throws Exception {
    this.redis = redis;
    this.mongo = mongo;
    this.api =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl(managementUrl)
                .service(apiService));
    this.subscriber = SubscriberService.start("127.0.0.1", 0, subscriberService);
    this.client = new QueueClient(api.baseUri());
    this.poolUris =
        poolUris != null
            ? poolUris
            : Map.of(
                "mongo", mongo.uri("weft_test"),
                "redis", redis.uri(),
                "sql", "jdbc:h2:mem:messages-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  /** Registers every pool with weight 0 except {@code pool}, so the next queue lands there. */
  void steerTo(String pool) throws IOException {
    for (Map.Entry<String, String> p : poolUris.entrySet()) {
      ApiResponse r =
          client.registerPool(p.getKey(), p.getValue(), p.getKey().equals(pool) ? 1 : 0);
      if (!r.ok()) {
        throw new IllegalStateException("pool-register " + p.getKey() + ": " + r.summary());
      }
    }
  }

  /** Creates a queue in {@code pool}. */
  void queueIn(String queue, String pool) throws IOException {
    steerTo(pool);
    ApiResponse r = client.createQueue(queue, null);
    if (r.status() != 201) {
      throw new IllegalStateException("queue-create " + queue + ": " + r.summary());
    }
  }

  /** A request with a raw body (for malformed and oversized bodies) and optional headers. */
  ApiResponse raw(String method, String path, String body, Map<String, String> headers)
      throws Exception {
    return rawTo(api.baseUri().toString(), method, path, body, headers);
  }

  /** {@link #raw} to another service; the answer keeps every header (lower-case names). */
  static ApiResponse rawTo(
      String base, String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    headers.forEach(b::header);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode parsed = r.body().isEmpty() ? null : JSON.readTree(r.body());
    Map<String, String> kept = new java.util.LinkedHashMap<>();
    r.headers().map().forEach((k, v) -> kept.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    return new ApiResponse(r.statusCode(), parsed, kept);
  }

  /** A second client (its own Client-ID), as another process would be. */
  QueueClient otherClient() {
    return new QueueClient(api.baseUri());
  }

  ApiResponse raw(String method, String path, String body) throws Exception {
    return raw(method, path, body, Map.of("Content-Type", "application/json"));
  }

  /** The names in the queue listing, every page of it (Zaqar pages by 10 by default). */
  List<String> queueNames() throws IOException {
    List<String> out = new ArrayList<>();
    String marker = null;
    while (true) {
      JsonNode page = client.listQueues(20, marker).body().path("queues");
      for (JsonNode q : page) {
        out.add(q.path("name").asText());
      }
      if (page.size() < 20) {
        return out;
      }
      marker = out.get(out.size() - 1);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      subscriber.close();
      api.close();
    } finally {
      if (mongo != null) {
        mongo.close();
      }
      if (redis != null) {
        redis.close();
      }
    }
  }
}
