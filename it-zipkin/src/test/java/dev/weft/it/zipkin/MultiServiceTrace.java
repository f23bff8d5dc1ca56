package dev.weft.it.zipkin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Paths;
import dev.weft.internal.tracing.Queries;
import dev.weft.internal.tracing.SqlSanitizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One profiled message post across three services, through Weft's real pipeline: a client ({@code
 * queue-client}) posts to a queue API ({@code queue-api}, a real HTTP server on a loopback port),
 * which looks the queue up in SQL, checks a connection out, writes the message to Redis and
 * MongoDB, fails one SQL update, and calls a subscriber's webhook ({@code webhook-subscriber},
 * another HTTP server) that records the notification. Trace context crosses each call as Weft's
 * signed {@code X-Trace-Info}/{@code X-Trace-HMAC} headers ({@link TraceHeaders#outgoing()} on the
 * caller, {@link Trace#beginFromHeaders} on the callee), and each server names its service as the
 * servlet integration does for its {@code weft.service} init parameter.
 *
 * <p>Each span records what its integration records, in the integration's own info shape (servlet's
 * {@code request}/{@code response}, the HTTP client's {@code requests}, Jedis's, the MongoDB
 * driver's and JDBC's {@code db}, {@code @Traced}'s {@code function}); the connection checkout is
 * core's own {@link Checkout}; paths, queries and statements go through Weft's own redaction
 * ({@link Paths}, {@link Queries}, {@link SqlSanitizer}). The ids of the spans are kept by label so
 * a test can compare the whole tree.
 */
final class MultiServiceTrace implements AutoCloseable {
  static final String KEY = "zipkin-it-key";
  static final String CLIENT = "queue-client";
  static final String API = "queue-api";
  static final String SUBSCRIBER = "webhook-subscriber";

  /** The capability token in the webhook's URL: recorded as {@code ?}, never as sent. */
  static final String WEBHOOK_TOKEN = "Xy9ZsecretT0ken42";

  /** The value of the post's {@code marker} query parameter: recorded as {@code ?}. */
  static final String MARKER = "c0ffee-1234";

  /** The literals of the failing SQL update: recorded as {@code ?}. */
  static final String SQL_LITERAL = "orders-secret";

  private final HttpServer api;
  private final HttpServer subscriber;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Span ids (UUID text) by label, as each span recorded it. */
  final Map<String, String> ids = new ConcurrentHashMap<>();

  MultiServiceTrace() throws IOException {
    subscriber = server(this::subscriberRequest);
    api = server(this::apiRequest);
  }

  int apiPort() {
    return api.getAddress().getPort();
  }

  int subscriberPort() {
    return subscriber.getAddress().getPort();
  }

  private interface Handler {
    int handle(HttpExchange ex) throws Exception;
  }

  private static HttpServer server(Handler h) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          int status;
          try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            status = h.handle(ex);
          } catch (Exception e) {
            status = 500;
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    s.start();
    return s;
  }

  // ---- the three services ----

  /** Runs a profiled post; returns the trace's base_id. */
  String post(String queue) throws Exception {
    try (TraceScope t = Trace.beginClient(KEY)) {
      SpanRecord fn = open("client", "QueueClient.postMessages", FUNCTION);
      fn.a = "dev.weft.testapp.client.QueueClient.postMessages";
      try {
        int status =
            call(
                "client.http",
                "POST",
                URI.create(
                    "http://127.0.0.1:"
                        + apiPort()
                        + "/v2/queues/"
                        + queue
                        + "/messages?limit=5&marker="
                        + MARKER));
        if (status != 201) {
          throw new IllegalStateException("post: HTTP " + status);
        }
      } finally {
        ThreadContext.popCurrent(fn);
      }
      return t.baseId();
    }
  }

  private int apiRequest(HttpExchange ex) throws Exception {
    String queue = ex.getRequestURI().getPath().split("/")[3];
    return serve(
        ex,
        API,
        "api.servlet",
        201,
        () -> {
          SpanRecord lookup = open("api.lookup", "catalog_lookup", FUNCTION);
          lookup.a = "dev.weft.testapp.pooling.Catalog.lookup";
          try {
            SpanRecord select = open("api.lookup.db", "db", JDBC);
            select.a = "h2";
            select.b =
                SqlSanitizer.sanitize(
                    "select qr1_0.name,qr1_0.pool from weft_queues qr1_0 where qr1_0.name='"
                        + queue
                        + "'",
                    "h2");
            ThreadContext.popCurrent(select);
          } finally {
            ThreadContext.popCurrent(lookup);
          }
          long t0 = Checkout.begin();
          Checkout.end(t0, "redis-pool", null, source -> (String) source);

          SpanRecord set = open("api.redis.set", "redis", REDIS);
          set.a = "SET";
          set.b = "weft:m:" + queue + ":1";
          ThreadContext.popCurrent(set);
          SpanRecord zadd = open("api.redis.zadd", "redis", REDIS);
          zadd.a = "ZADD";
          zadd.b = "weft:q:" + queue;
          ThreadContext.popCurrent(zadd);

          SpanRecord insert = open("api.mongodb", "mongodb", MONGODB);
          insert.a = "zaqar";
          insert.b = "messages";
          insert.c = "insert";
          insert.d = "{\"_id\": \"?\", \"queue\": \"?\", \"body\": \"?\"}";
          ThreadContext.popCurrent(insert);

          SpanRecord update = open("api.db.update", "db", JDBC);
          update.a = "h2";
          update.b =
              SqlSanitizer.sanitize(
                  "UPDATE weft_queues SET count = 3 WHERE name = '" + SQL_LITERAL + "'", "h2");
          update.error(new java.sql.SQLTimeoutException("lock timeout"));
          ThreadContext.popCurrent(update);

          int hook =
              call(
                  "api.webhook",
                  "POST",
                  URI.create(
                      "http://127.0.0.1:" + subscriberPort() + "/notifications/" + WEBHOOK_TOKEN));
          if (hook != 204) {
            throw new IllegalStateException("webhook: HTTP " + hook);
          }
        });
  }

  private int subscriberRequest(HttpExchange ex) throws Exception {
    return serve(
        ex,
        SUBSCRIBER,
        "sub.servlet",
        204,
        () -> {
          SpanRecord record = open("sub.record", "NotificationLog.record", FUNCTION);
          record.a = "dev.weft.testapp.subscriber.NotificationLog.record";
          try {
            SpanRecord validate = open("sub.validate", "notification_validate", FUNCTION);
            validate.a = "dev.weft.testapp.subscriber.NotificationLog.validate";
            ThreadContext.popCurrent(validate);
          } finally {
            ThreadContext.popCurrent(record);
          }
        });
  }

  private interface Work {
    void run() throws Exception;
  }

  /**
   * A servlet entry: a trace from the signed headers, the service named, a {@code servlet} span.
   */
  private int serve(HttpExchange ex, String service, String label, int status, Work work)
      throws Exception {
    TraceScope scope =
        Trace.beginFromHeaders(
            ex.getRequestHeaders().getFirst(TraceHeaders.X_TRACE_INFO),
            ex.getRequestHeaders().getFirst(TraceHeaders.X_TRACE_HMAC),
            null);
    if (scope == null) {
      work.run();
      return status;
    }
    try (scope) {
      ThreadContext.active().service = service;
      SpanRecord s = open(label, "wsgi", SERVLET);
      s.a = Paths.recorded(ex.getRequestURI().getRawPath());
      s.b = Queries.recorded(ex.getRequestURI().getRawQuery());
      s.c = ex.getRequestMethod();
      s.d = "http";
      try {
        work.run();
        s.status = status;
      } finally {
        ThreadContext.popCurrent(s);
      }
    }
    return status;
  }

  /** An outgoing call as the HTTP client integration records it, with the trace's headers. */
  private int call(String label, String method, URI uri) throws Exception {
    SpanRecord s = open(label, "http", HTTP);
    s.a = method;
    s.b = uri.getScheme();
    s.c = uri.getHost();
    s.n = uri.getPort();
    s.d = Paths.recorded(uri.getRawPath());
    s.e = Queries.recorded(uri.getRawQuery());
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString("{}"));
      for (Map.Entry<String, String> h : TraceHeaders.outgoing().entrySet()) {
        b.header(h.getKey(), h.getValue());
      }
      int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      s.status = status;
      return status;
    } finally {
      ThreadContext.popCurrent(s);
    }
  }

  private SpanRecord open(String label, String name, InfoShape shape) {
    SpanRecord r = ThreadContext.active().push(name, shape);
    ids.put(label, r.idText());
    return r;
  }

  @Override
  public void close() {
    api.stop(0);
    subscriber.stop(0);
  }

  // ---- the integrations' info shapes ----

  /**
   * ServletTracing's ({@code wsgi}, as OSProfiler's WsgiMiddleware): {@code request} on start,
   * {@code response} on stop.
   */
  static final InfoShape SERVLET =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("request");
          w.field("path", r.a);
          w.field("query", r.b);
          w.field("method", r.c);
          w.field("scheme", r.d);
          w.endObject();
        }

        @Override
        public void stop(SpanRecord r, JsonWriter w) {
          if (r.status > 0) {
            w.beginObject("response");
            w.field("status", r.status);
            w.endObject();
          }
        }

        @Override
        public String category() {
          return "servlet";
        }
      };

  /** HttpTracing's (OSProfiler's requests layout): {@code requests} on start and stop. */
  static final InfoShape HTTP =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("requests");
          w.field("method", r.a);
          w.field("query", r.e);
          w.field("path", r.d);
          w.field("hostname", r.c);
          w.field("port", r.n);
          w.field("scheme", r.b);
          w.endObject();
        }

        @Override
        public void stop(SpanRecord r, JsonWriter w) {
          if (r.status > 0) {
            w.beginObject("requests");
            w.field("status_code", r.status);
            w.endObject();
          }
        }

        @Override
        public String category() {
          return "http";
        }
      };

  /** JedisTracing's: the command and its first key, never values. */
  static final InfoShape REDIS =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", "redis");
          w.field("operation", r.a);
          if (r.b != null) {
            w.field("key", r.b);
          }
          w.endObject();
        }

        @Override
        public String category() {
          return "redis";
        }
      };

  /** MongoTracing's: database, collection, operation and the filter with its values as ?. */
  static final InfoShape MONGODB =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", "mongodb");
          w.field("namespace", r.a);
          w.field("collection", r.b);
          w.field("operation", r.c);
          w.field("statement", r.d);
          w.endObject();
        }

        @Override
        public String category() {
          return "mongodb";
        }
      };

  /** JdbcTracing's: the database system and the statement with its literals as ?. */
  static final InfoShape JDBC =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", r.a);
          w.field("statement", r.b);
          w.endObject();
        }

        @Override
        public String category() {
          return "sql";
        }
      };

  /** AnnotatedTracing's ({@code @Traced}): the function's name. */
  static final InfoShape FUNCTION =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("function");
          w.field("name", r.a);
          w.endObject();
        }

        @Override
        public String category() {
          return "annotated";
        }
      };

  /** The label of every span, in the order they start. */
  static final Map<String, String> LABELS = labels();

  private static Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("client", CLIENT);
    m.put("client.http", CLIENT);
    m.put("api.servlet", API);
    m.put("api.lookup", API);
    m.put("api.lookup.db", API);
    m.put("api.redis.set", API);
    m.put("api.redis.zadd", API);
    m.put("api.mongodb", API);
    m.put("api.db.update", API);
    m.put("api.webhook", API);
    m.put("sub.servlet", SUBSCRIBER);
    m.put("sub.record", SUBSCRIBER);
    m.put("sub.validate", SUBSCRIBER);
    return m;
  }
}
