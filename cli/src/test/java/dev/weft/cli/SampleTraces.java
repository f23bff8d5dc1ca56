package dev.weft.cli;

import dev.weft.cli.internal.PyJson;
import dev.weft.internal.collect.FileCollector;
import dev.weft.spi.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes traces in the file collector's layout ({@code DIR/<base_id>.jsonl}, OSProfiler events,
 * oldest first) from spans given with explicit times, so views of them can be compared exactly.
 */
final class SampleTraces {
  static final Path FIXTURES =
      Path.of(System.getProperty("weft.fixtures", "../fixtures/osprofiler"));
  static final String ZAQAR_ID = "11111111-1111-1111-1111-111111111111";
  static final String SHOP_ID = "5d0b2c1e-8f3a-4e6b-9c2d-7a1e0f4b3c21";

  private static final LocalDateTime T0 = LocalDateTime.of(2025, 3, 14, 9, 26, 53, 0);
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private SampleTraces() {}

  /** Copies OSProfiler's own zaqar-request events into {@code dir}, as the file collector would. */
  static void copyZaqar(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(FIXTURES.resolve("zaqar-request.events.jsonl"), dir.resolve(ZAQAR_ID + ".jsonl"));
  }

  /** A trace under construction. */
  static final class Builder {
    private final String baseId;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    Builder(String baseId) {
      this.baseId = baseId;
    }

    /**
     * Adds a span. Times in microseconds after the trace's origin; {@code stopUs < 0} leaves the
     * span without a stop event.
     */
    Builder span(
        String id,
        String parent,
        String name,
        String service,
        String host,
        long startUs,
        long stopUs,
        Map<String, Object> startInfo,
        Map<String, Object> stopInfo) {
      events.add(event(name + "-start", id, parent, service, host, startUs, startInfo));
      times.add(startUs);
      if (stopUs >= 0) {
        events.add(event(name + "-stop", id, parent, service, host, stopUs, stopInfo));
        times.add(stopUs);
      }
      return this;
    }

    private Map<String, Object> event(
        String name,
        String id,
        String parent,
        String service,
        String host,
        long us,
        Map<String, Object> info) {
      Map<String, Object> in = new LinkedHashMap<>(info);
      in.put("host", host);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", name);
      e.put("base_id", baseId);
      e.put("trace_id", id);
      e.put("parent_id", parent);
      e.put("timestamp", T0.plusNanos(us * 1000).format(TS));
      e.put("info", in);
      e.put("project", "shop");
      e.put("service", service);
      return e;
    }

    /**
     * Stores the events through the file collector ({@code DIR/<base_id>.jsonl} plus its error
     * marker), in time order and in OSProfiler's JSON spacing, as Weft's pipeline hands them over.
     */
    void writeTo(Path dir) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingLong(times::get));
      List<Event> batch = new ArrayList<>();
      for (int i : order) {
        Map<String, Object> e = events.get(i);
        String name = (String) e.get("name");
        Object info = e.get("info");
        boolean error = name.endsWith("-stop") && ((Map<?, ?>) info).containsKey("etype");
        batch.add(new Event(baseId, name, compact(e), (String) e.get("timestamp"), error));
      }
      try {
        new FileCollector(dir).store(batch);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** JSON on one line with Python's json.dumps separators ({@code ", "} and {@code ": "}). */
  static String compact(Object v) {
    StringBuilder b = new StringBuilder();
    compact(b, v);
    return b.toString();
  }

  private static void compact(StringBuilder b, Object v) {
    if (v instanceof Map<?, ?> m) {
      b.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(sep);
        PyJson.quote(b, String.valueOf(e.getKey()));
        b.append(": ");
        compact(b, e.getValue());
        sep = ", ";
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      String sep = "";
      for (Object o : l) {
        b.append(sep);
        compact(b, o);
        sep = ", ";
      }
      b.append(']');
    } else if (v instanceof String str) {
      PyJson.quote(b, str);
    } else {
      b.append(v); // numbers, booleans; null prints as null
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * A chain of {@code n} spans, each the only child of the one before: span {@code i} (1-based) is
   * {@code s0001}..., named {@code n0001}..., starts {@code i - 1} µs after the trace's origin and
   * stops {@code 10,000 - (i - 1)} µs after it.
   */
  static Builder chain(String baseId, int n) {
    Builder b = new Builder(baseId);
    for (int i = 1; i <= n; i++) {
      b.span(
          String.format("s%04d", i),
          i == 1 ? baseId : String.format("s%04d", i - 1),
          String.format("n%04d", i),
          "svc",
          "h",
          i - 1,
          10_000 - (i - 1),
          map(),
          map());
    }
    return b;
  }

  /** Every span name of {@link #shop()}, in report order. */
  static final List<String> SHOP_NAMES =
      List.of(
          "wsgi",
          "pool.select",
          "pool.checkout",
          "db",
          "redis",
          "MessageService.post",
          "pool.checkout",
          "mongodb",
          "redis",
          "db",
          "http",
          "wsgi",
          "redis",
          "Notifier.deliver",
          "db");

  /**
   * A request through a queue service: the servlet entry, pool selection and checkout, SQL, Redis
   * and MongoDB calls inside an annotated service method, and an outgoing HTTP call to a second
   * service whose own servlet span continues the trace (four levels) and whose SQL insert fails.
   */
  static Builder shop() {
    String svc = "queues-api";
    String host = "api-1";
    String sub = "subscriber";
    String subHost = "worker-2";
    return new Builder(SHOP_ID)
        .span(
            "a0000000-0000-4000-8000-000000000001",
            SHOP_ID,
            "wsgi",
            svc,
            host,
            0,
            52_310,
            map(
                "request",
                map(
                    "path",
                    "/v2/queues/orders/messages",
                    "query",
                    "",
                    "method",
                    "POST",
                    "scheme",
                    "http")),
            map("response", map("status", 201)))
        .span(
            "a0000000-0000-4000-8000-000000000002",
            "a0000000-0000-4000-8000-000000000001",
            "pool.select",
            svc,
            host,
            310,
            742,
            map("pool", map("name", "storage", "chosen", "mongo-b")),
            map())
        .span(
            "a0000000-0000-4000-8000-000000000003",
            "a0000000-0000-4000-8000-000000000001",
            "pool.checkout",
            svc,
            host,
            805,
            2_120,
            map("pool", map("name", "HikariPool-1", "kind", "jdbc")),
            map("pool", map("wait_us", 1_240)))
        .span(
            "a0000000-0000-4000-8000-000000000004",
            "a0000000-0000-4000-8000-000000000001",
            "db",
            svc,
            host,
            2_205,
            6_050,
            map(
                "db",
                map("system", "h2", "statement", "SELECT id, ttl FROM queues WHERE name = ?")),
            map("db", map("rows", 1)))
        .span(
            "a0000000-0000-4000-8000-000000000005",
            "a0000000-0000-4000-8000-000000000001",
            "redis",
            svc,
            host,
            6_300,
            6_712,
            map("redis", map("command", "GET", "key", "queue:orders:meta")),
            map())
        .span(
            "a0000000-0000-4000-8000-000000000006",
            "a0000000-0000-4000-8000-000000000001",
            "MessageService.post",
            svc,
            host,
            7_020,
            50_904,
            map("function", map("name", "com.example.queues.MessageService.post")),
            map())
        .span(
            "a0000000-0000-4000-8000-000000000007",
            "a0000000-0000-4000-8000-000000000006",
            "pool.checkout",
            svc,
            host,
            7_100,
            7_950,
            map("pool", map("name", "mongo-b", "kind", "mongodb")),
            map("pool", map("wait_us", 610)))
        .span(
            "a0000000-0000-4000-8000-000000000008",
            "a0000000-0000-4000-8000-000000000006",
            "mongodb",
            svc,
            host,
            8_050,
            19_400,
            map(
                "db",
                map(
                    "system",
                    "mongodb",
                    "name",
                    "queues",
                    "collection",
                    "messages",
                    "command",
                    "insert")),
            map())
        .span(
            "a0000000-0000-4000-8000-000000000009",
            "a0000000-0000-4000-8000-000000000006",
            "redis",
            svc,
            host,
            19_600,
            20_130,
            map("redis", map("command", "INCR", "key", "queue:orders:count")),
            map())
        .span(
            "a0000000-0000-4000-8000-00000000000a",
            "a0000000-0000-4000-8000-000000000006",
            "db",
            svc,
            host,
            20_400,
            25_610,
            map(
                "db",
                map(
                    "system",
                    "h2",
                    "statement",
                    "UPDATE queues SET depth = depth + ? WHERE id = ?")),
            map("db", map("rows", 1)))
        .span(
            "a0000000-0000-4000-8000-00000000000b",
            "a0000000-0000-4000-8000-000000000006",
            "http",
            svc,
            host,
            26_000,
            49_480,
            map(
                "requests",
                map(
                    "method",
                    "POST",
                    "query",
                    "",
                    "path",
                    "/v1/notify",
                    "hostname",
                    "subscriber",
                    "port",
                    8081,
                    "scheme",
                    "http")),
            map("requests", map("status_code", 200)))
        .span(
            "b0000000-0000-4000-8000-000000000001",
            "a0000000-0000-4000-8000-00000000000b",
            "wsgi",
            sub,
            subHost,
            28_410,
            48_820,
            map(
                "request",
                map("path", "/v1/notify", "query", "", "method", "POST", "scheme", "http")),
            map("response", map("status", 200)))
        .span(
            "b0000000-0000-4000-8000-000000000002",
            "b0000000-0000-4000-8000-000000000001",
            "redis",
            sub,
            subHost,
            30_020,
            30_655,
            map("redis", map("command", "LPUSH", "key", "notify:orders")),
            map())
        .span(
            "b0000000-0000-4000-8000-000000000003",
            "b0000000-0000-4000-8000-000000000001",
            "Notifier.deliver",
            sub,
            subHost,
            31_000,
            47_515,
            map("function", map("name", "com.example.subscriber.Notifier.deliver")),
            map())
        .span(
            "b0000000-0000-4000-8000-000000000004",
            "b0000000-0000-4000-8000-000000000001",
            "db",
            sub,
            subHost,
            47_640,
            48_395,
            map(
                "db",
                map(
                    "system",
                    "h2",
                    "statement",
                    "INSERT INTO deliveries (message_id, endpoint) VALUES (?, ?)")),
            map(
                "etype",
                "JdbcSQLIntegrityConstraintViolationException",
                "message",
                "Unique index or primary key violation: \"PRIMARY KEY ON"
                    + " PUBLIC.DELIVERIES(MESSAGE_ID)\""));
  }
}
