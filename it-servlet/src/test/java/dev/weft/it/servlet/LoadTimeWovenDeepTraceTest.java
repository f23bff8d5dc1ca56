package dev.weft.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.config.Switches;
import dev.weft.internal.headers.OsprofilerHeaders;
import dev.weft.internal.headers.TraceCategories;
import dev.weft.it.servlet.harness.JettyApp;
import dev.weft.spi.Event;
import dev.weft.spi.TraceCategory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deep trace for one request, across two load-time woven services: {@code sql} is off for the
 * process, and a request whose signed {@code X-Weft-Trace-Categories} asks for it gets {@code db}
 * spans in service A and, through A's JDK HttpClient call, in service B; the next request, and a
 * request with a forged category header, get none. Load-time woven only: the application's JDBC
 * call sites are woven by a concrete {@code JdbcAspect} in the tests' aop.xml.
 */
class LoadTimeWovenDeepTraceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HOST = "deep-host";
  static final String SERVICE_A = "deep-a";
  static final String SERVICE_B = "deep-b";
  static final String KEY = "deep-key";
  static final Duration HANG_GUARD = Duration.ofSeconds(30);
  static final Map<String, Object> DB_START =
      Map.of("db", Map.of("system", "h2", "statement", "SELECT CAST(? AS INT) + ?"), "host", HOST);

  static JettyApp a;
  static JettyApp b;
  static HttpClient client;

  private final List<LogRecord> weftLog = new ArrayList<>();
  private final Handler weftLogHandler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (weftLog) {
            weftLog.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void startServers() throws Exception {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", HOST);
    Weft.set("weft.hmac_keys", "another-key," + KEY);
    Weft.set("weft.max_traces_per_second", "0");
    a = JettyApp.start(SERVICE_A, 16);
    b = JettyApp.start(SERVICE_B, 16);
    client = HttpClient.newBuilder().connectTimeout(HANG_GUARD).build();
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (JettyApp app : new JettyApp[] {a, b}) {
      if (app != null) {
        app.close();
      }
    }
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void sqlOffForTheProcess() {
    Weft.set("weft.trace.sql", "false");
    Weft.flush();
    MemoryCollector.clear();
    Logger.getLogger("dev.weft").addHandler(weftLogHandler);
  }

  @AfterEach
  void nothingHeld_nothingLogged() throws Exception {
    Logger.getLogger("dev.weft").removeHandler(weftLogHandler);
    // the servers' threads give their holds back when a request's last join point returns,
    // which can be a moment after the client has its answer
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (Switches.requested(TraceCategory.SQL) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(Switches.requested(TraceCategory.SQL)).isZero();
    assertThat(Switches.sql).isFalse();
    synchronized (weftLog) {
      assertThat(weftLog).extracting(LogRecord::getMessage).isEmpty();
    }
  }

  // ---------------------------------------------------------------- helpers

  static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(HANG_GUARD).GET();
    headers.forEach(r::header);
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String chain(int n) {
    return a.url(
        "/db?n="
            + n
            + "&target="
            + URLEncoder.encode(b.url("/db?n=" + (n * 10)), StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> settled(String baseId, int n) throws Exception {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (System.nanoTime() < deadline && count(baseId) < n) {
      Weft.flush();
      Thread.sleep(5);
    }
    Weft.flush();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (baseId.equals(e.baseId())) {
        out.add(JSON.readValue(e.json(), Map.class));
      }
    }
    return out;
  }

  static long count(String baseId) {
    return MemoryCollector.events().stream().filter(e -> baseId.equals(e.baseId())).count();
  }

  static List<Map<String, Object>> of(List<Map<String, Object>> events, String service) {
    return events.stream()
        .filter(e -> service.equals(e.get("service")))
        .collect(Collectors.toList());
  }

  static Map<String, Object> event(List<Map<String, Object>> events, String name) {
    List<Map<String, Object>> m =
        events.stream().filter(e -> name.equals(e.get("name"))).collect(Collectors.toList());
    assertThat(m).as("events named " + name).hasSize(1);
    return m.get(0);
  }

  static List<String> names(List<Map<String, Object>> events) {
    return events.stream().map(e -> (String) e.get("name")).collect(Collectors.toList());
  }

  static Map<String, Object> request(String path, String query) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("path", path);
    request.put("query", query);
    request.put("method", "GET");
    request.put("scheme", "http");
    return Map.of("request", request, "host", HOST);
  }

  /** The id of a span whose start and stop events are both there, with the parent given. */
  static String span(List<Map<String, Object>> events, String name, String parent) {
    Map<String, Object> start = event(events, name + "-start");
    Map<String, Object> stop = event(events, name + "-stop");
    assertThat(start.get("parent_id")).as(name).isEqualTo(parent);
    assertThat(stop.get("parent_id")).as(name).isEqualTo(parent);
    assertThat(stop.get("trace_id")).as(name).isEqualTo(start.get("trace_id"));
    return (String) start.get("trace_id");
  }

  /**
   * Asserts the two-service tree of {@code chain(n)}: A's wsgi, under it A's db (when {@code deep})
   * and A's http call, under that B's wsgi and under it B's db (when {@code deep}).
   */
  static void assertChain(List<Map<String, Object>> ev, String base, int n, boolean deep) {
    List<Map<String, Object>> inA = of(ev, SERVICE_A);
    List<Map<String, Object>> inB = of(ev, SERVICE_B);
    List<String> expectedA = new ArrayList<>(List.of("wsgi-start", "wsgi-stop"));
    List<String> expectedB = new ArrayList<>(List.of("wsgi-start", "wsgi-stop"));
    expectedA.addAll(List.of("http-start", "http-stop"));
    if (deep) {
      expectedA.addAll(List.of("db-start", "db-stop"));
      expectedB.addAll(List.of("db-start", "db-stop"));
    }
    assertThat(names(inA)).containsExactlyInAnyOrderElementsOf(expectedA);
    assertThat(names(inB)).containsExactlyInAnyOrderElementsOf(expectedB);
    assertThat(ev).hasSize(expectedA.size() + expectedB.size());

    String aEntry = span(inA, "wsgi", base);
    assertThat(event(inA, "wsgi-start").get("info")).isEqualTo(request("/db", "n=?&target=?"));
    assertThat(event(inA, "wsgi-stop").get("info"))
        .isEqualTo(Map.of("response", Map.of("status", 200), "host", HOST));
    String http = span(inA, "http", aEntry);
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("method", "GET");
    requests.put("query", "n=?");
    requests.put("path", "/db");
    requests.put("hostname", "127.0.0.1");
    requests.put("port", b.port());
    requests.put("scheme", "http");
    assertThat(event(inA, "http-start").get("info"))
        .isEqualTo(Map.of("requests", requests, "host", HOST));
    String bEntry = span(inB, "wsgi", http);
    assertThat(event(inB, "wsgi-start").get("info")).isEqualTo(request("/db", "n=?"));
    if (deep) {
      span(inA, "db", aEntry);
      assertThat(event(inA, "db-start").get("info")).isEqualTo(DB_START);
      assertThat(event(inA, "db-stop").get("info")).isEqualTo(Map.of("host", HOST));
      span(inB, "db", bEntry);
      assertThat(event(inB, "db-start").get("info")).isEqualTo(DB_START);
      assertThat(event(inB, "db-stop").get("info")).isEqualTo(Map.of("host", HOST));
    }
  }

  // ---------------------------------------------------------------- the tests

  @Test
  void sqlOffForTheProcess_oneSignedRequestGetsDbSpansInBothServices_theNextNone()
      throws Exception {
    String deep = UUID.randomUUID().toString();
    HttpResponse<String> r = get(chain(1), TraceHeaders.sign(deep, deep, KEY, "sql"));
    assertThat(r.statusCode()).isEqualTo(200);
    String[] lines = r.body().split("\n");
    assertThat(lines[0]).startsWith("db=2;categories=sql;traced=" + deep + ";thread=jetty-deep-a");
    // A passed the category on, re-signed for its http span
    assertThat(lines[1]).startsWith("db=11;categories=sql;traced=" + deep + ";thread=jetty-deep-b");
    assertChain(settled(deep, 10), deep, 1, true);

    String next = UUID.randomUUID().toString();
    r = get(chain(2), TraceHeaders.sign(next, next, KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .startsWith("db=3;categories=null;traced=" + next + ";")
        .contains("\ndb=21;categories=null;traced=" + next + ";");
    assertChain(settled(next, 6), next, 2, false);

    // and an untraced request records nothing at all
    r = get(chain(3), Map.of());
    assertThat(r.body()).startsWith("db=4;categories=null;traced=-;");
    Weft.flush();
    assertThat(MemoryCollector.events().stream().map(Event::baseId).distinct())
        .containsExactlyInAnyOrder(deep, next);
  }

  @Test
  void theCategoriesGoOnlyWithTheTraceHeaders_signedForEachCall() throws Exception {
    String deep = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/call?target=" + b.url("/db?n=5")), TraceHeaders.sign(deep, deep, KEY, "sql"));
    assertThat(r.body()).startsWith("db=6;categories=sql;traced=" + deep + ";");
    List<Map<String, Object>> ev = settled(deep, 8);
    // A's /call runs no SQL; B's /db does, under B's entry, under A's http span
    assertThat(names(of(ev, SERVICE_A)))
        .containsExactlyInAnyOrder("wsgi-start", "wsgi-stop", "http-start", "http-stop");
    String http = (String) event(of(ev, SERVICE_A), "http-start").get("trace_id");
    String bEntry = span(of(ev, SERVICE_B), "wsgi", http);
    span(of(ev, SERVICE_B), "db", bEntry);
    assertThat(event(of(ev, SERVICE_B), "db-start").get("info")).isEqualTo(DB_START);
    // what B got: the category pair signed with the trace's key for the X-Trace-Info A sent
    assertThat(r.body())
        .endsWith(
            ";categories_hmac="
                + TraceCategories.sign("sql", OsprofilerHeaders.info(deep, http), KEY));

    // a destination outside weft.http.propagate_hosts gets no trace headers, so no categories
    Weft.set("weft.http.propagate_hosts", "db.internal");
    try {
      String kept = UUID.randomUUID().toString();
      r = get(chain(30), TraceHeaders.sign(kept, kept, KEY, "sql"));
      String[] lines = r.body().split("\n");
      assertThat(lines[0]).startsWith("db=31;categories=sql;traced=" + kept + ";");
      assertThat(lines[1]).startsWith("db=301;categories=null;traced=-;");
      assertThat(lines[1]).endsWith(";categories_hmac=null");
      ev = settled(kept, 6);
      assertThat(names(ev))
          .containsExactlyInAnyOrder(
              "wsgi-start", "wsgi-stop", "db-start", "db-stop", "http-start", "http-stop");
      assertThat(of(ev, SERVICE_B)).isEmpty();
    } finally {
      Weft.set("weft.http.propagate_hosts", null);
    }
  }

  @Test
  void aForgedWrongKeyUnsignedUnknownOrReplayedCategoryHeader_isIgnored() throws Exception {
    String replayedFrom = UUID.randomUUID().toString();
    Map<String, String> original = TraceHeaders.sign(replayedFrom, replayedFrom, KEY, "sql");
    int n = 10;
    List<String> bases = new ArrayList<>();
    for (String[] bad :
        new String[][] {
          {"sql", "forged"}, // a MAC of the right shape that nobody computed
          {"sql", "another-key"}, // signed with a configured key, not the trace's
          {"sql", null}, // unsigned
          {"sql,nosuch", KEY}, // an unknown category
          {"servlet", KEY}, // one a request cannot ask for
          {"sql", "replay"}, // another trace's valid pair
        }) {
      String base = UUID.randomUUID().toString();
      bases.add(base);
      Map<String, String> h = new HashMap<>(TraceHeaders.sign(base, base, KEY));
      String info = h.get(TraceHeaders.X_TRACE_INFO);
      h.put(TraceHeaders.X_WEFT_TRACE_CATEGORIES, bad[0]);
      if ("forged".equals(bad[1])) {
        h.put(TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC, "3f".repeat(20));
      } else if ("replay".equals(bad[1])) {
        h.put(
            TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC,
            original.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC));
      } else if (bad[1] != null) {
        h.put(
            TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC, TraceCategories.sign(bad[0], info, bad[1]));
      }
      HttpResponse<String> r = get(chain(n), h);
      assertThat(r.statusCode()).as(bad[0] + " " + bad[1]).isEqualTo(200);
      assertThat(r.body())
          .as(bad[0] + " " + bad[1])
          .startsWith("db=" + (n + 1) + ";categories=" + bad[0] + ";traced=" + base + ";")
          // nothing was passed on
          .contains("\ndb=" + (n * 10 + 1) + ";categories=null;traced=" + base + ";");
      assertChain(settled(base, 6), base, n, false);
      n++;
    }
    // the replayed pair with the X-Trace-Info it was signed for is accepted (as the X-Trace pair
    // itself is): it is bound to that trace and parent, not to the request
    HttpResponse<String> r = get(chain(n), original);
    assertThat(r.body()).startsWith("db=" + (n + 1) + ";categories=sql;traced=" + replayedFrom);
    assertChain(settled(replayedFrom, 10), replayedFrom, n, true);
  }

  @Test
  void anAsyncRequestDispatchedToSql_keepsItsCategories_andGivesEveryHoldBack() throws Exception {
    String deep = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/async?ms=20&dispatch=/db&n=7"), TraceHeaders.sign(deep, deep, KEY, "sql"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("db=8;categories=sql;traced=" + deep + ";thread=jetty-deep-a");
    List<Map<String, Object>> ev = settled(deep, 6);
    assertThat(names(ev))
        .containsExactlyInAnyOrder(
            "wsgi-start",
            "wsgi-stop",
            "async-work-start",
            "async-work-stop",
            "db-start",
            "db-stop");
    String entry = span(ev, "wsgi", deep);
    assertThat(event(ev, "wsgi-start").get("info"))
        .isEqualTo(request("/async", "ms=?&dispatch=?&n=?"));
    span(ev, "async-work", entry);
    span(ev, "db", entry); // recorded on the dispatch's thread, under the resumed entry span
    assertThat(event(ev, "db-start").get("info")).isEqualTo(DB_START);

    String plain = UUID.randomUUID().toString();
    r = get(a.url("/async?ms=5&dispatch=/db&n=8"), TraceHeaders.sign(plain, plain, KEY));
    assertThat(r.body()).startsWith("db=9;categories=null;traced=" + plain + ";");
    assertThat(names(settled(plain, 4)))
        .containsExactlyInAnyOrder(
            "wsgi-start", "wsgi-stop", "async-work-start", "async-work-stop");
  }

  @Test
  void aFailingDeepRequest_givesItsHoldBack() throws Exception {
    String deep = UUID.randomUUID().toString();
    HttpResponse<String> r = get(a.url("/fail"), TraceHeaders.sign(deep, deep, KEY, "sql"));
    assertThat(r.statusCode()).isEqualTo(500);
    List<Map<String, Object>> ev = settled(deep, 2);
    assertThat(names(ev)).containsExactly("wsgi-start", "wsgi-stop");
    assertThat(event(ev, "wsgi-stop").get("info"))
        .isEqualTo(Map.of("etype", "IllegalStateException", "message", "boom", "host", HOST));
  }

  @Test
  void withSqlOnForTheProcess_everyTracedRequestGetsDbSpans_noHeaderNeeded() throws Exception {
    Weft.set("weft.trace.sql", "true");
    try {
      String base = UUID.randomUUID().toString();
      HttpResponse<String> r = get(chain(40), TraceHeaders.sign(base, base, KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      assertChain(settled(base, 10), base, 40, true);
    } finally {
      Weft.set("weft.trace.sql", "false");
    }
  }
}
