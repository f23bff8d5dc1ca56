package dev.weft.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Profile;
import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.it.servlet.app.ExceptionProbeFilter;
import dev.weft.it.servlet.app.FailingServlet;
import dev.weft.it.servlet.harness.JettyApp;
import dev.weft.report.ReportBuilder;
import dev.weft.spi.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * The servlet suite, run load-time woven ({@code LoadTimeWovenServletTest} in this module) and
 * compile-time woven ({@code CompileTimeWovenServletTest} in weft-it-servlet-ctw). Every test talks
 * HTTP to a real embedded Jetty 12 and reads the events Weft stored in the memory collector.
 *
 * <p>The test code itself is never woven: requests are sent with the JDK HttpClient, adding trace
 * headers by hand where a test needs them.
 */
public abstract class ServletSuite {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HOST = "it-host";
  static final String SERVICE_A = "svc-a";
  static final String SERVICE_B = "svc-b";
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  static JettyApp a;
  static JettyApp b;
  static JettyApp small;
  static HttpClient client;
  static Map<String, Object> vectors;

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
  @SuppressWarnings("unchecked")
  static void startServers() throws Exception {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", HOST);
    Weft.set("weft.service", "process-default");
    Weft.set("weft.max_traces_per_second", "0");
    a = JettyApp.start(SERVICE_A, 32);
    b = JettyApp.start(SERVICE_B, 32);
    small = JettyApp.start(null, 4);
    client = HttpClient.newBuilder().connectTimeout(HANG_GUARD).build();
    vectors = JSON.readValue(fixture("headers.json").toFile(), Map.class);
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (JettyApp app : new JettyApp[] {a, b, small}) {
      if (app != null) {
        app.close();
      }
    }
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void clean() {
    Weft.set("weft.hmac_keys", "it-key");
    Weft.set("weft.trust_traceparent", null);
    Weft.set("weft.http.query_values", null);
    Weft.set("weft.http.path_values", null);
    Weft.set("weft.http.path_templates", null);
    Weft.set("weft.max_traces_per_second", "0");
    Weft.flush();
    MemoryCollector.clear();
    ExceptionProbeFilter.SEEN.clear();
    Logger.getLogger("dev.weft").addHandler(weftLogHandler);
  }

  @AfterEach
  void detachLog() {
    Logger.getLogger("dev.weft").removeHandler(weftLogHandler);
  }

  static Path fixture(String name) {
    for (Path dir :
        new Path[] {Path.of("..", "fixtures", "osprofiler"), Path.of("fixtures", "osprofiler")}) {
      if (Files.exists(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    throw new IllegalStateException("fixture not found: " + name);
  }

  // ---------------------------------------------------------------- helpers

  static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(HANG_GUARD).GET();
    headers.forEach(r::header);
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> signed(String baseId, String parentId, String key) {
    return TraceHeaders.sign(baseId, parentId, key);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> allEvents() throws Exception {
    Weft.flush();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      out.add(JSON.readValue(e.json(), Map.class));
    }
    return out;
  }

  /**
   * Waits (hang guard only) until at least {@code n} events are stored, then returns all events. A
   * span can end after its response reached the client (a forward commits the response; an async
   * cycle completes after writing it), so a test waits for the events it expects.
   */
  static List<Map<String, Object>> settled(int n) throws Exception {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (MemoryCollector.events().size() < n && System.nanoTime() < deadline) {
      Weft.flush();
      Thread.sleep(5);
    }
    return allEvents();
  }

  /** As {@link #settled(int)}, counting the events of one trace; returns that trace's events. */
  static List<Map<String, Object>> settled(String baseId, int n) throws Exception {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (System.nanoTime() < deadline
        && MemoryCollector.events().stream().filter(e -> baseId.equals(e.baseId())).count() < n) {
      Weft.flush();
      Thread.sleep(5);
    }
    return events(baseId);
  }

  static List<Map<String, Object>> events(String baseId) throws Exception {
    return allEvents().stream()
        .filter(e -> baseId.equals(e.get("base_id")))
        .collect(Collectors.toList());
  }

  static List<String> names(List<Map<String, Object>> events) {
    return events.stream().map(e -> (String) e.get("name")).collect(Collectors.toList());
  }

  static Map<String, Object> event(List<Map<String, Object>> events, String name) {
    List<Map<String, Object>> m =
        events.stream().filter(e -> name.equals(e.get("name"))).collect(Collectors.toList());
    assertThat(m).as("events named " + name).hasSize(1);
    return m.get(0);
  }

  static Map<String, Object> requestInfo(String path, String query) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("path", path);
    request.put("query", query);
    request.put("method", "GET");
    request.put("scheme", "http");
    return Map.of("request", request, "host", HOST);
  }

  static Map<String, Object> statusInfo(int status) {
    return Map.of("response", Map.of("status", status), "host", HOST);
  }

  /**
   * Asserts that {@code events} are exactly one servlet entry span, {@code wsgi} (start, stop), and
   * returns its id.
   */
  @SuppressWarnings("unchecked")
  static String assertOneServletSpan(
      List<Map<String, Object>> events,
      String baseId,
      String parentId,
      String path,
      String query,
      int status,
      String service) {
    Map<String, Object> start = event(events, "wsgi-start");
    Map<String, Object> stop = event(events, "wsgi-stop");
    assertThat(start.get("base_id")).isEqualTo(baseId);
    assertThat(start.get("parent_id")).isEqualTo(parentId);
    assertThat(stop.get("parent_id")).isEqualTo(parentId);
    assertThat(stop.get("trace_id")).isEqualTo(start.get("trace_id"));
    assertThat(start.get("info")).isEqualTo(requestInfo(path, query));
    // in OSProfiler's wsgi order
    assertThat(((Map<String, Object>) ((Map<?, ?>) start.get("info")).get("request")).keySet())
        .containsExactly("path", "query", "method", "scheme");
    assertThat(stop.get("info")).isEqualTo(statusInfo(status));
    assertThat(start.get("service")).isEqualTo(service);
    assertThat(stop.get("service")).isEqualTo(service);
    assertThat(start.get("project")).isEqualTo("weft");
    assertThat((String) stop.get("timestamp"))
        .isGreaterThanOrEqualTo((String) start.get("timestamp"));
    return (String) start.get("trace_id");
  }

  static void assertNothingRecorded() throws Exception {
    assertThat(allEvents()).isEmpty();
  }

  // ---------------------------------------------------------------- trigger rules

  @Test
  @SuppressWarnings("unchecked")
  void everyValidVectorIsTracedWithTheCallersIds() throws Exception {
    List<Map<String, Object>> valid = new ArrayList<>();
    valid.addAll((List<Map<String, Object>>) vectors.get("valid"));
    valid.addAll((List<Map<String, Object>>) vectors.get("accepted_variants"));
    assertThat(valid).hasSize(7);
    int i = 0;
    for (Map<String, Object> v : valid) {
      MemoryCollector.clear();
      Weft.set("weft.hmac_keys", String.join(",", (List<String>) v.get("configured_keys")));
      Map<String, String> unpacked = (Map<String, String>) v.get("unpacked");
      String base = unpacked.get("base_id");
      String parent = unpacked.getOrDefault("parent_id", base);
      // A header value cannot carry a line feed on the wire, and HTTP drops the whitespace around
      // a value before the servlet sees it: the variant "MAC with surrounding whitespace" is sent
      // with its spaces, without its line feed.
      String mac = ((String) v.get("x_trace_hmac")).replace("\n", "");
      HttpResponse<String> r =
          get(
              a.url("/echo?vector=" + i + "&x=a%20b"),
              Map.of("X-Trace-Info", (String) v.get("x_trace_info"), "X-Trace-HMAC", mac));
      assertThat(r.statusCode()).as((String) v.get("note")).isEqualTo(200);
      assertThat(r.body()).as((String) v.get("note")).startsWith("traced=" + base + ";");
      settled(base, 2);
      List<Map<String, Object>> ev = allEvents();
      assertThat(names(ev)).as((String) v.get("note")).containsExactly("wsgi-start", "wsgi-stop");
      assertOneServletSpan(ev, base, parent, "/echo", "vector=?&x=?", 200, SERVICE_A);
      i++;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRejectedVectorIsServedNormallyAndUntraced() throws Exception {
    List<Map<String, Object>> rejected = (List<Map<String, Object>>) vectors.get("rejected");
    assertThat(rejected).hasSize(11);
    long startedBefore = WeftRuntime.tracesStarted();
    for (Map<String, Object> v : rejected) {
      Weft.set("weft.hmac_keys", String.join(",", (List<String>) v.get("configured_keys")));
      Map<String, String> h = new HashMap<>();
      h.put("X-Trace-Info", (String) v.get("x_trace_info"));
      if (v.get("x_trace_hmac") != null) {
        h.put("X-Trace-HMAC", (String) v.get("x_trace_hmac"));
      }
      HttpResponse<String> r = get(a.url("/work?n=1"), h);
      assertThat(r.statusCode()).as((String) v.get("note")).isEqualTo(200);
      assertThat(r.body()).as((String) v.get("note")).startsWith("work(1);traced=-;");
    }
    assertNothingRecorded();
    assertThat(WeftRuntime.tracesStarted()).isEqualTo(startedBefore);
    assertThat(ExceptionProbeFilter.SEEN).isEmpty();
    synchronized (weftLog) {
      assertThat(weftLog).isEmpty();
    }
  }

  @Test
  void traceparentAloneStartsNothingUnlessTrusted() throws Exception {
    Map<String, String> tp =
        Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    HttpResponse<String> r = get(a.url("/echo"), tp);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("traced=-;");
    assertNothingRecorded();

    Weft.set("weft.trust_traceparent", "true");
    r = get(a.url("/echo"), tp);
    assertThat(r.body()).startsWith("traced=4bf92f35-77b3-4da6-a3ce-929d0e0e4736;");
    assertOneServletSpan(
        settled("4bf92f35-77b3-4da6-a3ce-929d0e0e4736", 2),
        "4bf92f35-77b3-4da6-a3ce-929d0e0e4736",
        "00f067aa0ba902b7",
        "/echo",
        "",
        200,
        SERVICE_A);
  }

  @Test
  void unsignedRequestsAndTracingSwitchedOffRunUntraced() throws Exception {
    String base = UUID.randomUUID().toString();
    assertThat(get(a.url("/echo"), Map.of()).body()).startsWith("traced=-;");
    Weft.set("weft.trace.servlet", "false");
    try {
      HttpResponse<String> r = get(a.url("/echo"), signed(base, base, "it-key"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("traced=-;");
    } finally {
      Weft.set("weft.trace.servlet", null);
    }
    assertNothingRecorded();
  }

  // ---------------------------------------------------------------- query values

  @Test
  void queryValuesAreRecordedAsQuestionMarks_unlessOptedIn() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/echo?token=S3CRET-TOKEN&flag&page=2;k=v"), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertOneServletSpan(
        settled(base, 2), base, base, "/echo", "token=?&flag&page=?;k=?", 200, SERVICE_A);

    Weft.set("weft.http.query_values", "true");
    String opted = UUID.randomUUID().toString();
    r = get(a.url("/echo?token=S3CRET-TOKEN&flag&page=2;k=v"), signed(opted, opted, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertOneServletSpan(
        settled(opted, 2),
        opted,
        opted,
        "/echo",
        "token=S3CRET-TOKEN&flag&page=2;k=v",
        200,
        SERVICE_A);
  }

  // ---------------------------------------------------------------- path values

  static final String RESET_TOKEN = "8dKxQ3vR2mN7pL4sW9yT1uZc";

  @Test
  void aSecretInThePathIsRecordedAsQuestionMark_wordsStay_unlessAllIsAskedFor() throws Exception {
    String[][] cases = {
      // path sent, path recorded
      {"/reset/" + RESET_TOKEN, "/reset/?"},
      {"/reset/" + RESET_TOKEN + "/", "/reset/?/"},
      {"/reset/demo-1/42", "/reset/demo-1/42"},
      {"/reset/507f1f77bcf86cd799439011", "/reset/?"},
      {"/reset/123e4567-e89b-12d3-a456-426614174000", "/reset/?"},
      {"/reset/demo-1;jsessionid=node01abc2def3", "/reset/demo-1;jsessionid=?"},
    };
    for (String[] c : cases) {
      MemoryCollector.clear();
      String base = UUID.randomUUID().toString();
      HttpResponse<String> r = get(a.url(c[0] + "?k=v"), signed(base, base, "it-key"));
      assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
      assertOneServletSpan(settled(base, 2), base, base, c[1], "k=?", 200, SERVICE_A);
    }

    Weft.set("weft.http.path_values", "all");
    String opted = UUID.randomUUID().toString();
    assertThat(get(a.url("/reset/" + RESET_TOKEN), signed(opted, opted, "it-key")).statusCode())
        .isEqualTo(200);
    assertOneServletSpan(
        settled(opted, 2), opted, opted, "/reset/" + RESET_TOKEN, "", 200, SERVICE_A);

    Weft.set("weft.http.path_values", "none");
    String none = UUID.randomUUID().toString();
    assertThat(get(a.url("/reset/demo-1"), signed(none, none, "it-key")).statusCode())
        .isEqualTo(200);
    assertOneServletSpan(settled(none, 2), none, none, "/reset/?", "", 200, SERVICE_A);
  }

  @Test
  void aCapabilityUrlCalledOutIsRecordedWithoutItsSecret_inTheHttpAndTheCalleesServletSpan()
      throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/call?target=" + b.url("/reset/" + RESET_TOKEN)), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("traced=" + base + ";thread=jetty-svc-b");
    List<Map<String, Object>> ev = settled(base, 6);
    assertThat(ev).hasSize(6);
    Map<String, List<Map<String, Object>>> byService =
        ev.stream().collect(Collectors.groupingBy(e -> (String) e.get("service")));
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("method", "GET");
    requests.put("query", "");
    requests.put("path", "/reset/?");
    requests.put("hostname", "127.0.0.1");
    requests.put("port", b.port());
    requests.put("scheme", "http");
    Map<String, Object> httpStart = event(byService.get(SERVICE_A), "http-start");
    assertThat(httpStart.get("info")).isEqualTo(Map.of("requests", requests, "host", HOST));
    assertOneServletSpan(
        byService.get(SERVICE_B),
        base,
        (String) httpStart.get("trace_id"),
        "/reset/?",
        "",
        200,
        SERVICE_B);
    assertThat(ev.toString()).doesNotContain(RESET_TOKEN);
  }

  // ---------------------------------------------------------------- fuzzed headers

  /** Kinds of header sets the servlet fuzz sends; only {@code VALID} may start a trace. */
  enum FuzzKind {
    VALID,
    INFO_MUTATED,
    MAC_MUTATED,
    WRONG_KEY,
    SIGNED_GARBAGE,
    RANDOM_TEXT,
    TRACEPARENT_ONLY,
    OVERSIZED
  }

  static final int FUZZ_REQUESTS = 400;

  @Test
  void fuzzedTraceHeaders_alwaysAnswer200_andOnlyValidMacsStartTraces() throws Exception {
    java.util.Random rnd = new java.util.Random(0x5EEDL);
    FuzzKind[] kinds = FuzzKind.values();
    Set<String> expectedTraced = new HashSet<>();
    Map<FuzzKind, Integer> sent = new java.util.EnumMap<>(FuzzKind.class);
    long startedBefore = WeftRuntime.tracesStarted();
    for (int i = 0; i < FUZZ_REQUESTS; i++) {
      FuzzKind kind = kinds[i % kinds.length];
      String base = UUID.randomUUID().toString();
      Map<String, String> valid = signed(base, "p-" + i, "it-key");
      String info = valid.get("X-Trace-Info");
      String mac = valid.get("X-Trace-HMAC");
      Map<String, String> h = new LinkedHashMap<>();
      switch (kind) {
        case VALID:
          h.put("X-Trace-Info", info);
          h.put("X-Trace-HMAC", mac);
          expectedTraced.add(base);
          break;
        case INFO_MUTATED:
          h.put("X-Trace-Info", mutate(info, rnd));
          h.put("X-Trace-HMAC", mac);
          break;
        case MAC_MUTATED:
          h.put("X-Trace-Info", info);
          h.put("X-Trace-HMAC", mutate(mac, rnd));
          break;
        case WRONG_KEY:
          h.putAll(signed(base, "p-" + i, "not-the-key-" + rnd.nextInt(1000)));
          break;
        case SIGNED_GARBAGE:
          {
            byte[] junk = new byte[1 + rnd.nextInt(60)];
            rnd.nextBytes(junk);
            String text = java.util.Base64.getUrlEncoder().encodeToString(junk);
            h.put("X-Trace-Info", text);
            h.put("X-Trace-HMAC", hmacSha1Hex("it-key", text));
            break;
          }
        case RANDOM_TEXT:
          h.put("X-Trace-Info", randomText(rnd, 1 + rnd.nextInt(200)));
          h.put("X-Trace-HMAC", randomText(rnd, rnd.nextInt(60)));
          h.put("traceparent", randomText(rnd, rnd.nextInt(80)));
          break;
        case TRACEPARENT_ONLY:
          h.put(
              "traceparent",
              String.format(
                  "00-%016x%016x-%016x-01",
                  rnd.nextLong() | 1, rnd.nextLong(), rnd.nextLong() | 1));
          break;
        case OVERSIZED:
          h.put("X-Trace-Info", info + "A".repeat(2000 + rnd.nextInt(3000)));
          h.put("X-Trace-HMAC", mac + "0".repeat(rnd.nextInt(2000)));
          break;
        default:
          throw new IllegalStateException(kind.name());
      }
      h.entrySet().removeIf(e -> e.getValue().isBlank());
      sent.merge(kind, 1, Integer::sum);
      HttpResponse<String> r = get(a.url("/echo"), h);
      assertThat(r.statusCode()).as("%s %s", kind, h).isEqualTo(200);
      assertThat(r.body())
          .as("%s %s", kind, h)
          .startsWith(kind == FuzzKind.VALID ? "traced=" + base + ";" : "traced=-;");
    }
    settled(expectedTraced.size() * 2);
    Set<String> stored = new HashSet<>();
    for (Event e : MemoryCollector.events()) {
      stored.add(e.baseId());
    }
    assertThat(stored).isEqualTo(expectedTraced);
    assertThat(expectedTraced).hasSize(FUZZ_REQUESTS / kinds.length);
    assertThat(WeftRuntime.tracesStarted() - startedBefore).isEqualTo(expectedTraced.size());
    assertThat(sent.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(FUZZ_REQUESTS);
  }

  /** Changes one visible character of {@code s} into a different one (never only its case). */
  static String mutate(String s, java.util.Random rnd) {
    char[] c = s.toCharArray();
    int at = rnd.nextInt(c.length);
    char next;
    do {
      next = (char) ('!' + rnd.nextInt(94));
    } while (Character.toLowerCase(next) == Character.toLowerCase(c[at]));
    c[at] = next;
    return new String(c);
  }

  static String randomText(java.util.Random rnd, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('!' + rnd.nextInt(94)));
    }
    return b.toString();
  }

  static String hmacSha1Hex(String key, String text) throws Exception {
    javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA1");
    m.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    StringBuilder b = new StringBuilder();
    for (byte x : m.doFinal(text.getBytes(StandardCharsets.UTF_8))) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- one span per request

  @Test
  void filtersForwardAndIncludeEachGiveExactlyOneServletSpan() throws Exception {
    String[][] cases = {
      // path, query sent, query recorded (values as ? by default)
      {"/filtered/echo", "f=1", "f=?"},
      {"/forward", "f=2", "f=?"},
      {"/include", "f=3&n=7", "f=?&n=?"},
      {"/plain", "", ""}
    };
    for (String[] c : cases) {
      MemoryCollector.clear();
      String base = UUID.randomUUID().toString();
      String query = c[1].isEmpty() ? "" : "?" + c[1];
      HttpResponse<String> r = get(a.url(c[0] + query), signed(base, base, "it-key"));
      assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
      settled(base, c[0].equals("/include") ? 4 : 2);
      List<Map<String, Object>> ev = allEvents();
      if (c[0].equals("/include")) {
        // the included /work runs Worker.compute inside the one servlet span
        assertThat(r.body()).startsWith("traced=" + base + ";").contains("|work(7);traced=" + base);
        assertThat(names(ev))
            .containsExactly(
                "Worker.compute-start", "Worker.compute-stop", "wsgi-start", "wsgi-stop");
        String servlet = assertOneServletSpan(ev, base, base, c[0], c[2], 200, SERVICE_A);
        assertThat(event(ev, "Worker.compute-start").get("parent_id")).isEqualTo(servlet);
      } else {
        assertThat(r.body()).as(c[0]).startsWith("traced=" + base + ";");
        assertThat(names(ev)).as(c[0]).containsExactly("wsgi-start", "wsgi-stop");
        assertOneServletSpan(ev, base, base, c[0], c[2], 200, SERVICE_A);
      }
    }
  }

  @Test
  void asyncServletSpanEndsWhenTheAsyncWorkCompletes() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r = get(a.url("/async?ms=150"), signed(base, "p-1", "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .startsWith("async-done;request-thread=jetty-svc-a")
        .endsWith(";worker-thread=async-worker");
    List<Map<String, Object>> ev = settled(base, 4);
    assertThat(names(ev))
        .containsExactly("async-work-start", "async-work-stop", "wsgi-start", "wsgi-stop");
    String servlet = assertOneServletSpan(ev, base, "p-1", "/async", "ms=?", 200, SERVICE_A);
    Map<String, Object> workStart = event(ev, "async-work-start");
    Map<String, Object> workStop = event(ev, "async-work-stop");
    assertThat(workStart.get("parent_id")).isEqualTo(servlet);
    assertThat(workStart.get("service")).isEqualTo(SERVICE_A);
    // the servlet span closes at completion, after the work on the other thread ended
    assertThat((String) event(ev, "wsgi-stop").get("timestamp"))
        .isGreaterThanOrEqualTo((String) workStop.get("timestamp"));
    assertThat((String) workStart.get("timestamp"))
        .isGreaterThanOrEqualTo((String) event(ev, "wsgi-start").get("timestamp"));
    // and nothing else was recorded: the request thread was cleared when service returned
    assertThat(allEvents()).hasSize(4);
  }

  @Test
  void asyncDispatchResumesTheTraceAndStillGivesOneServletSpan() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/async?ms=20&dispatch=/work&n=7"), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("work(7);traced=" + base + ";thread=jetty-svc-a");
    List<Map<String, Object>> ev = settled(base, 6);
    assertThat(names(ev))
        .containsExactly(
            "async-work-start",
            "async-work-stop",
            "Worker.compute-start",
            "Worker.compute-stop",
            "wsgi-start",
            "wsgi-stop");
    String servlet =
        assertOneServletSpan(ev, base, base, "/async", "ms=?&dispatch=?&n=?", 200, SERVICE_A);
    assertThat(event(ev, "async-work-start").get("parent_id")).isEqualTo(servlet);
    assertThat(event(ev, "Worker.compute-start").get("parent_id")).isEqualTo(servlet);
    assertThat(event(ev, "Worker.compute-start").get("service")).isEqualTo(SERVICE_A);
    assertThat((String) event(ev, "wsgi-stop").get("timestamp"))
        .isGreaterThanOrEqualTo((String) event(ev, "Worker.compute-stop").get("timestamp"));
    assertThat(allEvents()).hasSize(6);
  }

  @Test
  void exceptionIsRecordedAndTheContainerSeesTheSameException() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r = get(a.url("/fail"), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(500);
    List<Map<String, Object>> ev = settled(base, 2);
    assertThat(names(ev)).containsExactly("wsgi-start", "wsgi-stop");
    assertThat(event(ev, "wsgi-start").get("info")).isEqualTo(requestInfo("/fail", ""));
    assertThat(event(ev, "wsgi-stop").get("info"))
        .isEqualTo(Map.of("etype", "IllegalStateException", "message", "boom", "host", HOST));
    assertThat(ExceptionProbeFilter.SEEN).hasSize(1);
    assertThat(ExceptionProbeFilter.SEEN.peek()).isSameAs(FailingServlet.THROWN.get());
  }

  @Test
  void anExceptionWhoseMessageThrows_reachesTheContainerUnchanged() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r = get(a.url("/fail?hostile=1"), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(500);
    List<Map<String, Object>> ev = settled(base, 2);
    assertThat(names(ev)).containsExactly("wsgi-start", "wsgi-stop");
    assertThat(event(ev, "wsgi-stop").get("info"))
        .isEqualTo(Map.of("etype", "HostileException", "message", "", "host", HOST));
    assertThat(ExceptionProbeFilter.SEEN).hasSize(1);
    assertThat(ExceptionProbeFilter.SEEN.peek())
        .isSameAs(FailingServlet.THROWN.get())
        .isInstanceOf(FailingServlet.HostileException.class);
  }

  // ---------------------------------------------------------------- pooled threads

  @Test
  void aPooledThreadNeverCarriesAStaleTraceIntoTheNextRequest() throws Exception {
    String traced = UUID.randomUUID().toString();
    String leaked = UUID.randomUUID().toString();
    HttpResponse<String> first = get(small.url("/work?n=t"), signed(traced, traced, "it-key"));
    assertThat(first.body()).startsWith("work(t);traced=" + traced + ";");
    String tracedThread = threadOf(first.body());
    // an untraced request whose servlet leaves a trace active on its thread (an application bug)
    HttpResponse<String> leak = get(small.url("/leak?base=" + leaked), Map.of());
    assertThat(leak.body()).startsWith("traced=" + leaked + ";");
    String leakThread = threadOf(leak.body());

    Set<String> threadsSeen = new HashSet<>();
    for (int i = 0; i < 400 && !threadsSeen.containsAll(List.of(tracedThread, leakThread)); i++) {
      HttpResponse<String> r = get(small.url("/work?n=" + i), Map.of());
      assertThat(r.body()).startsWith("work(" + i + ");traced=-;");
      threadsSeen.add(threadOf(r.body()));
    }
    assertThat(threadsSeen).contains(tracedThread, leakThread);
    settled(traced, 4);
    List<Map<String, Object>> ev = allEvents();
    assertThat(ev.stream().map(e -> e.get("base_id")).collect(Collectors.toSet()))
        .containsExactly(traced);
    assertThat(names(ev))
        .containsExactly("Worker.compute-start", "Worker.compute-stop", "wsgi-start", "wsgi-stop");
  }

  static String threadOf(String body) {
    return body.substring(body.indexOf(";thread=") + ";thread=".length());
  }

  // ---------------------------------------------------------------- concurrency and rate limit

  @Test
  void concurrentClientsEachSeeOnlyTheirOwnTrace() throws Exception {
    int clients = 64;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    Map<Integer, String> bases = new HashMap<>();
    for (int i = 0; i < clients; i++) {
      final int n = i;
      final String base = n % 2 == 0 ? UUID.randomUUID().toString() : null;
      if (base != null) {
        bases.put(n, base);
      }
      Callable<String> call =
          () -> {
            go.await();
            Map<String, String> h = base == null ? Map.of() : signed(base, "parent-" + n, "it-key");
            HttpResponse<String> r = get(a.url("/work?n=" + n), h);
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
          };
      results.add(pool.submit(call));
    }
    go.countDown();
    for (int i = 0; i < clients; i++) {
      String body = results.get(i).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
      String base = bases.get(i);
      assertThat(body).startsWith("work(" + i + ");traced=" + (base == null ? "-" : base) + ";");
    }
    pool.shutdown();

    List<Map<String, Object>> all = settled(bases.size() * 4);
    assertThat(all).hasSize(bases.size() * 4);
    for (Map.Entry<Integer, String> e : bases.entrySet()) {
      List<Map<String, Object>> ev = events(e.getValue());
      assertThat(names(ev))
          .containsExactly(
              "Worker.compute-start", "Worker.compute-stop", "wsgi-start", "wsgi-stop");
      String servlet =
          assertOneServletSpan(
              ev, e.getValue(), "parent-" + e.getKey(), "/work", "n=?", 200, SERVICE_A);
      Map<String, Object> work = event(ev, "Worker.compute-start");
      assertThat(work.get("parent_id")).isEqualTo(servlet);
      assertThat(work.get("info"))
          .isEqualTo(
              Map.of(
                  "function",
                  Map.of("name", "dev.weft.it.servlet.app.Worker.compute"),
                  "host",
                  HOST));
    }
  }

  @Test
  void rateLimitHoldsUnderABurst() throws Exception {
    Weft.set("weft.max_traces_per_second", "5");
    long limitedBefore = WeftRuntime.tracesRateLimited();
    int burst = 50;
    long firstWindow = System.nanoTime() / 1_000_000_000L;
    int traced = 0;
    for (int i = 0; i < burst; i++) {
      String base = "burst-" + i;
      HttpResponse<String> r = get(a.url("/echo"), signed(base, base, "it-key"));
      assertThat(r.statusCode()).isEqualTo(200);
      if (r.body().startsWith("traced=" + base + ";")) {
        traced++;
      } else {
        assertThat(r.body()).startsWith("traced=-;");
      }
    }
    long windows = System.nanoTime() / 1_000_000_000L - firstWindow + 1;
    assertThat(traced).isLessThanOrEqualTo((int) (5 * windows));
    assertThat(WeftRuntime.tracesRateLimited() - limitedBefore).isEqualTo(burst - traced);
    List<Map<String, Object>> ev = settled(traced * 2);
    assertThat(ev).hasSize(traced * 2);

    // once the window has passed, requests are traced again
    Thread.sleep(1100);
    MemoryCollector.clear();
    String after = UUID.randomUUID().toString();
    assertThat(get(a.url("/echo"), signed(after, after, "it-key")).body())
        .startsWith("traced=" + after + ";");
    assertOneServletSpan(settled(after, 2), after, after, "/echo", "", 200, SERVICE_A);
  }

  // ---------------------------------------------------------------- outgoing HTTP, two services

  @Test
  void twoServicesBuildOneTree() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String base;
    HttpResponse<String> r;
    try (Profile p = Profile.start("it-key", new PrintStream(err, true, StandardCharsets.UTF_8))) {
      base = p.baseId();
      r = get(a.url("/call?target=" + b.url("/work?n=b")), TraceHeaders.outgoing());
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "Trace ID: "
                + base
                + System.lineSeparator()
                + "Display trace with command: weft trace show --html "
                + base
                + System.lineSeparator());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("work(b);traced=" + base + ";thread=jetty-svc-b");
    assertTwoServiceTree(base, "/call", "target=?");
  }

  @Test
  void sendAsyncCarriesTheTraceToo() throws Exception {
    String base = UUID.randomUUID().toString();
    String target = b.url("/work?n=b");
    HttpResponse<String> r =
        get(a.url("/call?async=1&target=" + target), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("work(b);traced=" + base + ";");
    assertTwoServiceTree(base, "/call", "async=?&target=?");
  }

  @SuppressWarnings("unchecked")
  private static void assertTwoServiceTree(String base, String path, String query)
      throws Exception {
    List<Map<String, Object>> ev = settled(base, 8);
    assertThat(ev).hasSize(8);
    Map<String, List<Map<String, Object>>> byService =
        ev.stream().collect(Collectors.groupingBy(e -> (String) e.get("service")));
    assertThat(names(byService.get(SERVICE_A)))
        .containsExactlyInAnyOrder("wsgi-start", "wsgi-stop", "http-start", "http-stop");
    assertThat(names(byService.get(SERVICE_B)))
        .containsExactlyInAnyOrder(
            "wsgi-start", "wsgi-stop", "Worker.compute-start", "Worker.compute-stop");

    String aServlet =
        assertOneServletSpan(byService.get(SERVICE_A), base, base, path, query, 200, SERVICE_A);
    Map<String, Object> httpStart = event(byService.get(SERVICE_A), "http-start");
    Map<String, Object> httpStop = event(byService.get(SERVICE_A), "http-stop");
    assertThat(httpStart.get("parent_id")).isEqualTo(aServlet);
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("method", "GET");
    requests.put("query", "n=?");
    requests.put("path", "/work");
    requests.put("hostname", "127.0.0.1");
    requests.put("port", b.port());
    requests.put("scheme", "http");
    assertThat(httpStart.get("info")).isEqualTo(Map.of("requests", requests, "host", HOST));
    // in OSProfiler's requests order
    assertThat(((Map<String, Object>) ((Map<?, ?>) httpStart.get("info")).get("requests")).keySet())
        .containsExactly("method", "query", "path", "hostname", "port", "scheme");
    assertThat(httpStop.get("info"))
        .isEqualTo(Map.of("requests", Map.of("status_code", 200), "host", HOST));
    String http = (String) httpStart.get("trace_id");

    String bServlet =
        assertOneServletSpan(byService.get(SERVICE_B), base, http, "/work", "n=?", 200, SERVICE_B);
    Map<String, Object> work = event(byService.get(SERVICE_B), "Worker.compute-start");
    assertThat(work.get("parent_id")).isEqualTo(bServlet);

    // OSProfiler's report joins them into one tree under the client's root
    Map<String, Object> report = new ReportBuilder().addAll(ev).build();
    List<Map<String, Object>> roots = (List<Map<String, Object>>) report.get("children");
    assertThat(roots).hasSize(1);
    Map<String, Object> node = roots.get(0);
    assertThat(node.get("parent_id")).isEqualTo(base);
    for (String[] expected :
        new String[][] {
          {aServlet, "wsgi", SERVICE_A},
          {http, "http", SERVICE_A},
          {bServlet, "wsgi", SERVICE_B},
          {(String) work.get("trace_id"), "Worker.compute", SERVICE_B}
        }) {
      assertThat(node.get("trace_id")).isEqualTo(expected[0]);
      Map<String, Object> info = (Map<String, Object>) node.get("info");
      assertThat(info.get("name")).isEqualTo(expected[1]);
      assertThat(info.get("service")).isEqualTo(expected[2]);
      List<Map<String, Object>> children = (List<Map<String, Object>>) node.get("children");
      if (expected[1].equals("Worker.compute")) {
        assertThat(children).isEmpty();
      } else {
        assertThat(children).hasSize(1);
        node = children.get(0);
      }
    }
  }

  @Test
  void outgoingCallCarriesHeadersSignedForTheHttpSpan() throws Exception {
    String base = UUID.randomUUID().toString();
    HttpResponse<String> r =
        get(a.url("/call?target=" + b.url("/headers")), signed(base, base, "it-key"));
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> got = new HashMap<>();
    for (String line : r.body().split("\n")) {
      int eq = line.indexOf('=');
      got.put(line.substring(0, eq), line.substring(eq + 1));
    }
    settled(base, 6);
    Map<String, Object> httpStart = event(events(base), "http-start");
    String spanId = (String) httpStart.get("trace_id");
    Map<String, String> expected = TraceHeaders.sign(base, spanId, "it-key");
    assertThat(got.get("X-Trace-Info")).isEqualTo(expected.get("X-Trace-Info"));
    assertThat(got.get("X-Trace-HMAC")).isEqualTo(expected.get("X-Trace-HMAC"));
    assertThat(got.get("traceparent"))
        .isEqualTo(
            "00-" + base.replace("-", "") + "-" + spanId.replace("-", "").substring(16) + "-01");
    assertThat(got.get("X-Caller")).isEqualTo("call-servlet");
    // B verified them: its servlet span hangs under A's http span
    assertThat(
            event(
                    events(base).stream()
                        .filter(e -> SERVICE_B.equals(e.get("service")))
                        .collect(Collectors.toList()),
                    "wsgi-start")
                .get("parent_id"))
        .isEqualTo(spanId);
  }

  @Test
  void untracedOutgoingCallSendsNoTraceHeaders() throws Exception {
    HttpResponse<String> r = get(a.url("/call?target=" + b.url("/headers")), Map.of());
    assertThat(r.body())
        .isEqualTo(
            "X-Trace-Info=null\nX-Trace-HMAC=null\ntraceparent=null\nX-Caller=call-servlet\n");
    assertNothingRecorded();
  }
}
