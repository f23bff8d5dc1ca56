package dev.weft.cli;

import static dev.weft.cli.SampleTraces.map;

import dev.weft.cli.internal.Limits;
import dev.weft.cli.internal.LoadedTrace;
import dev.weft.cli.internal.TraceModel;
import dev.weft.internal.collect.FileCollector;
import dev.weft.spi.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces for the analysis, stats and diff tests: spans with explicit microsecond times and the
 * start/stop info shapes Weft's integrations record, and spans that lost one of their events.
 */
final class Bottlenecks {
  static final LocalDateTime T0 = LocalDateTime.of(2025, 3, 14, 9, 26, 53, 0);
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private Bottlenecks() {}

  /** A trace under construction; times are microseconds after {@code origin}. */
  static final class Trace {
    final String baseId;
    final LocalDateTime origin;
    final List<Map<String, Object>> events = new ArrayList<>();
    final List<Long> times = new ArrayList<>();
    String service = "svc";

    Trace(String baseId) {
      this(baseId, T0);
    }

    Trace(String baseId, LocalDateTime origin) {
      this.baseId = baseId;
      this.origin = origin;
    }

    Trace service(String s) {
      service = s;
      return this;
    }

    /** A span with both events; {@code parent} null means the trace itself. */
    Trace span(String id, String parent, String name, long start, long stop) {
      return span(id, parent, name, start, stop, map(), map());
    }

    Trace span(
        String id,
        String parent,
        String name,
        long start,
        long stop,
        Map<String, Object> startInfo,
        Map<String, Object> stopInfo) {
      start(id, parent, name, start, startInfo);
      return stop(id, parent, name, stop, stopInfo);
    }

    /** Only the start event. */
    Trace start(String id, String parent, String name, long us, Map<String, Object> info) {
      events.add(event(name + "-start", id, parent, us, info));
      times.add(us);
      return this;
    }

    /** Only the stop event. */
    Trace stop(String id, String parent, String name, long us, Map<String, Object> info) {
      events.add(event(name + "-stop", id, parent, us, info));
      times.add(us);
      return this;
    }

    private Map<String, Object> event(
        String name, String id, String parent, long us, Map<String, Object> info) {
      Map<String, Object> in = new LinkedHashMap<>(info);
      in.put("host", "h");
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", name);
      e.put("base_id", baseId);
      e.put("trace_id", id);
      e.put("parent_id", parent == null ? baseId : parent);
      e.put("timestamp", origin.plusNanos(us * 1000).format(TS));
      e.put("info", in);
      e.put("project", "shop");
      e.put("service", service);
      return e;
    }

    /** The stored events as the file collector writes them, in time order. */
    List<String> raw() {
      List<String> out = new ArrayList<>();
      for (int i : order()) {
        out.add(SampleTraces.compact(events.get(i)));
      }
      return out;
    }

    private List<Integer> order() {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingLong(times::get));
      return order;
    }

    TraceModel model() {
      return LoadedTrace.load(baseId, raw(), Limits.DEFAULT).model();
    }

    void writeTo(Path dir) {
      List<Event> batch = new ArrayList<>();
      for (int i : order()) {
        Map<String, Object> e = events.get(i);
        String name = (String) e.get("name");
        boolean error = name.endsWith("-stop") && ((Map<?, ?>) e.get("info")).containsKey("etype");
        batch.add(
            new Event(baseId, name, SampleTraces.compact(e), (String) e.get("timestamp"), error));
      }
      try {
        new FileCollector(dir).store(batch);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final String QUEUES_ID = "c0ffee00-0000-4000-8000-000000000001";

  /**
   * A queue read through two Java services, with the info shapes Weft records: the entry, a pool
   * checkout, a Hibernate find and its SQL, a Redis GET, and an HTTPS PUT to a second service whose
   * entry runs a MongoDB find (the bottleneck).
   *
   * <pre>
   * e1 wsgi GET /v2/queues/demo-1/messages        0 .. 20000  queues-api
   *    p1 pooling checkout management (65 µs)   100 ..   165
   *    h1 hibernate find QueueRecord            200 ..  5200
   *       d1 db SELECT weft_queues              300 ..  5000
   *    r1 redis GET queue:demo-1               5300 ..  5700
   *    x1 https PUT 127.0.0.1/v2/queues/demo-1 6000 .. 19000
   *       e2 wsgi PUT /v2/queues/demo-1        7000 .. 18500  storage
   *          m1 mongodb find messages          8000 .. 18000  storage
   *          a1 audit_log AuditLog.record          8200 ..  9000  storage (beside m1)
   * </pre>
   */
  static Trace queues(String baseId, LocalDateTime origin, long mongoStop) {
    return new Trace(baseId, origin)
        .service("queues-api")
        .span(
            "e1",
            null,
            "wsgi",
            0,
            20_000,
            map(
                "request",
                map(
                    "path",
                    "/v2/queues/demo-1/messages",
                    "query",
                    "limit=?",
                    "method",
                    "GET",
                    "scheme",
                    "http")),
            map("response", map("status", 200)))
        .span(
            "p1",
            "e1",
            "pooling",
            100,
            165,
            map("pooling", map("pool", "management", "wait_micros", 65)),
            map())
        .span(
            "h1",
            "e1",
            "hibernate",
            200,
            5_200,
            map("db", map("operation", "find", "entity", "dev.weft.testapp.store.QueueRecord")),
            map())
        .span(
            "d1",
            "h1",
            "db",
            300,
            5_000,
            map(
                "db",
                map(
                    "system",
                    "h2",
                    "statement",
                    "select qr.id, qr.name\n  from weft_queues qr where qr.name=?")),
            map())
        .span(
            "r1",
            "e1",
            "redis",
            5_300,
            5_700,
            map("db", map("system", "redis", "operation", "GET", "key", "queue:demo-1")),
            map())
        .span(
            "x1",
            "e1",
            "https",
            6_000,
            19_000,
            map(
                "requests",
                map(
                    "method",
                    "PUT",
                    "query",
                    "",
                    "path",
                    "/v2/queues/demo-1",
                    "hostname",
                    "127.0.0.1",
                    "port",
                    8443,
                    "scheme",
                    "https")),
            map("requests", map("status_code", 201)))
        .service("storage")
        .span(
            "e2",
            "x1",
            "wsgi",
            7_000,
            18_500,
            map(
                "request",
                map("path", "/v2/queues/demo-1", "query", "", "method", "PUT", "scheme", "https")),
            map("response", map("status", 201)))
        .span(
            "m1",
            "e2",
            "mongodb",
            8_000,
            mongoStop,
            map(
                "db",
                map(
                    "system",
                    "mongodb",
                    "namespace",
                    "weft",
                    "collection",
                    "messages",
                    "operation",
                    "find",
                    "statement",
                    "{\"queue\": \"?\"}")),
            map())
        .span(
            "a1",
            "e2",
            "audit_log",
            8_200,
            9_000,
            map("function", map("name", "dev.weft.testapp.audit.AuditLog.record")),
            map());
  }

  static Trace queues() {
    return queues(QUEUES_ID, T0, 18_000);
  }
}
