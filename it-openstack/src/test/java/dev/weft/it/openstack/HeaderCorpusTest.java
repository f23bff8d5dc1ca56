package dev.weft.it.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.config.Key;
import dev.weft.internal.headers.OsprofilerHeaders;
import dev.weft.spi.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weft's decision on incoming trace headers equals OSProfiler's, case by case.
 *
 * <p>The corpus (src/test/python/corpus.py) is made with OSProfiler's own {@code signed_pack} and
 * {@code get_trace_id_headers}, plus mutations re-signed with its {@code generate_hmac}. Each case
 * goes, as the same bytes, to a WSGI app behind OSProfiler's {@code WsgiMiddleware} (Python's
 * wsgiref server) and to a servlet on embedded Jetty 12, load-time woven with Weft's servlet
 * integration; both answer whether the request was traced, under which base_id, with which parent
 * and which key. Cases HTTP/1.1 cannot carry (CR, LF, NUL in a value) go to the middleware
 * in-process and to {@link Trace#beginFromHeaders}, which the servlet integration calls.
 *
 * <p>What OSProfiler decided is also kept in fixtures/osprofiler/header-corpus.json, which core's
 * unit tests replay without Python; this test fails when that file is not what OSProfiler decides
 * today (rewrite it with {@code -Dweft.corpus.update=true}).
 */
class HeaderCorpusTest {
  /** Both sides are configured alike; the second key is the rotation case. */
  static final String HMAC_KEYS = "SECRET_KEY,rotated-key";

  static final List<String> KEYS = List.of("SECRET_KEY", "rotated-key");
  static final String NEW_UUID = "<a new uuid>";
  static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  /** The only cases OSProfiler answers with a server error (Weft runs them untraced, 200). */
  static final Set<String> OSPROFILER_FAILS = Set.of("MAC with a non-ASCII character");

  static Osprofiler osprofiler;
  static Server jetty;
  static int jettyPort;
  static JsonNode corpus;
  static final List<LogRecord> weftLog = new ArrayList<>();
  static final Handler LOG_HANDLER =
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

  /** A decision, as both sides are compared: ids as text, a new random base_id as NEW_UUID. */
  record Decision(boolean traced, String baseId, String parentId, String key, int status) {
    static Decision untraced(int status) {
      return new Decision(false, null, null, null, status);
    }

    String brief() {
      return traced
          ? "traced base_id=" + cut(baseId) + " parent_id=" + cut(parentId) + " key=" + key
          : "untraced (" + status + ")";
    }
  }

  record Outcome(JsonNode testCase, Decision osprofiler, Decision weft) {
    String name() {
      return testCase.get("name").asText();
    }

    boolean agree() {
      return osprofiler.traced == weft.traced
          && java.util.Objects.equals(osprofiler.baseId, weft.baseId)
          && java.util.Objects.equals(osprofiler.parentId, weft.parentId)
          && java.util.Objects.equals(osprofiler.key, weft.key);
    }
  }

  static List<Outcome> outcomes;

  /** Why the real OSProfiler cannot run here, or null. */
  static String unavailable;

  @BeforeAll
  static void start() throws Exception {
    unavailable = Osprofiler.unavailable();
    if (unavailable != null) {
      return; // every test reports itself skipped, with the reason
    }
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", HMAC_KEYS);
    Logger.getLogger("dev.weft").addHandler(LOG_HANDLER);

    osprofiler = Osprofiler.start(HMAC_KEYS);
    jetty = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Jetty's default (8 KiB) answers 431 to a 10,000-character base_id before Weft sees it;
    // Python's server reads header lines up to 64 KiB.
    http.setRequestHeaderSize(128 * 1024);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(ProbeServlet.class, "/probe");
    jetty.setHandler(ctx);
    jetty.start();
    jettyPort = connector.getLocalPort();

    corpus = Osprofiler.run("corpus.py", "", KEYS.get(0), KEYS.get(1));
    outcomes = decideAll();
  }

  @BeforeEach
  void needsOsprofiler() {
    Assumptions.assumeTrue(
        unavailable == null, "the real OSProfiler is not available: " + unavailable);
  }

  @AfterAll
  static void stop() throws Exception {
    Logger.getLogger("dev.weft").removeHandler(LOG_HANDLER);
    if (jetty != null) {
      jetty.stop();
    }
    if (osprofiler != null) {
      osprofiler.close();
    }
    Weft.resetRuntimeChanges();
  }

  // ------------------------------------------------------------------------------ the tests

  @Test
  void everyCaseSentOverHttp_isDecidedAsOsprofilerDecidesIt() {
    List<Outcome> http = transport("http");
    assertThat(http).hasSizeGreaterThanOrEqualTo(40);
    assertThat(disagreements(http)).isEmpty();
    // Weft never fails a request, whatever its headers.
    assertThat(http).allSatisfy(o -> assertThat(o.weft().status()).as(o.name()).isEqualTo(200));
    assertThat(http.stream().filter(o -> o.osprofiler().status() != 200).map(Outcome::name))
        .containsExactlyInAnyOrderElementsOf(OSPROFILER_FAILS);
    long traced = http.stream().filter(o -> o.osprofiler().traced()).count();
    assertThat(traced).isGreaterThan(20).isLessThan(http.size() - 20);
    synchronized (weftLog) {
      assertThat(weftLog.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()))
          .extracting(LogRecord::getMessage)
          .isEmpty();
    }
  }

  @Test
  void casesHttpCannotCarry_areDecidedAsOsprofilerDecidesThem() {
    List<Outcome> direct = transport("direct");
    assertThat(direct).hasSizeGreaterThanOrEqualTo(4);
    assertThat(disagreements(direct)).isEmpty();
  }

  @Test
  void noCapByDefault_everySignedRequestWasTraced() {
    assertThat(WeftRuntime.config().number(Key.MAX_TRACES_PER_SECOND)).isZero();
    assertThat(WeftRuntime.tracesRateLimited()).isZero();
  }

  @Test
  void theStoredCorpus_isWhatOsprofilerGeneratesAndDecidesToday() throws Exception {
    ObjectNode stored = fixture();
    Path file = fixtureFile();
    if (Boolean.getBoolean("weft.corpus.update")) {
      // ASCII only: ids and header values hold lone surrogates and Latin-1 controls.
      String text =
          Osprofiler.JSON
              .writerWithDefaultPrettyPrinter()
              .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
              .writeValueAsString(stored);
      Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
    }
    assertThat(Files.exists(file)).as("%s exists", file).isTrue();
    JsonNode kept = Osprofiler.JSON.readTree(file.toFile());
    assertThat(kept.get("cases"))
        .as(
            "%s is what OSProfiler generates and decides today (rewrite it with"
                + " -Dweft.corpus.update=true)",
            file)
        .isEqualTo(stored.get("cases"));
    assertThat(kept.get("hmac_keys")).isEqualTo(stored.get("hmac_keys"));
  }

  /** fixtures/osprofiler/headers.json (core's older vectors): OSProfiler agrees with each group. */
  @Test
  void theHeadersFixture_agreesWithOsprofiler() throws Exception {
    JsonNode vectors =
        Osprofiler.JSON.readTree(fixtureFile().resolveSibling("headers.json").toFile());
    ArrayNode cases = Osprofiler.JSON.createArrayNode();
    List<String> expected = new ArrayList<>();
    for (String group : List.of("valid", "rejected", "accepted_variants")) {
      for (JsonNode v : vectors.get(group)) {
        ObjectNode c = cases.addObject();
        c.put("name", group + ": " + v.get("note").asText());
        ArrayNode h = c.putArray("headers");
        if (!v.get("x_trace_info").isNull()) {
          h.addArray().add(TraceHeaders.X_TRACE_INFO).add(v.get("x_trace_info").asText());
        }
        if (!v.get("x_trace_hmac").isNull()) {
          h.addArray().add(TraceHeaders.X_TRACE_HMAC).add(v.get("x_trace_hmac").asText());
        }
        List<String> keys = new ArrayList<>();
        v.get("configured_keys").forEach(k -> keys.add(k.asText()));
        c.put("hmac_keys", String.join(",", keys));
        JsonNode u = v.get("unpacked");
        expected.add(
            c.get("name").asText()
                + (u == null
                    ? ": untraced"
                    : ": traced "
                        + u.get("base_id").asText()
                        + " / "
                        + (u.has("parent_id") ? u.get("parent_id") : u.get("base_id")).asText()
                        + " / "
                        + u.get("hmac_key").asText()));
      }
    }
    JsonNode answers =
        Osprofiler.run("osprofiler_direct.py", Osprofiler.JSON.writeValueAsString(cases), "-");
    List<String> actual = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode a = answers.get(i);
      actual.add(
          cases.get(i).get("name").asText()
              + (a.path("traced").asBoolean()
                  ? ": traced "
                      + a.get("base_id").asText()
                      + " / "
                      + a.get("parent_id").asText()
                      + " / "
                      + a.get("hmac_key").asText()
                  : ": untraced"));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  /** A trace started by OSProfiler continues in Weft, and the other way round. */
  @Test
  void aTraceCrossesBetweenOsprofilerAndWeft_bothWays() throws Exception {
    Map<String, String> start =
        TraceHeaders.sign("7a1f0d4e-5b2c-4c3d-9e8f-0a1b2c3d4e5f", null, "SECRET_KEY");
    RawHttp.Response py = RawHttp.get(osprofiler.port(), "/probe", headerList(start));
    JsonNode out = Osprofiler.JSON.readTree(py.body()).get("outgoing");
    String pySpan = parentOf(out.get("X-Trace-Info").asText());

    RawHttp.Response weft = RawHttp.get(jettyPort, "/probe", headerList(out));
    JsonNode w = Osprofiler.JSON.readTree(weft.body());
    assertThat(w.get("traced").asBoolean()).isTrue();
    assertThat(w.get("base_id").asText()).isEqualTo("7a1f0d4e-5b2c-4c3d-9e8f-0a1b2c3d4e5f");
    assertThat(servletParent(w.get("base_id").asText())).isEqualTo(pySpan);

    // Weft's outgoing headers (signed with the key that authorised the trace) back to OSProfiler.
    JsonNode back = w.get("outgoing");
    RawHttp.Response again = RawHttp.get(osprofiler.port(), "/probe", headerList(back));
    JsonNode p = Osprofiler.JSON.readTree(again.body());
    assertThat(p.get("traced").asBoolean()).isTrue();
    assertThat(p.get("base_id").asText()).isEqualTo("7a1f0d4e-5b2c-4c3d-9e8f-0a1b2c3d4e5f");
    assertThat(p.get("parent_id").asText()).isEqualTo(parentOf(back.get("X-Trace-Info").asText()));
    assertThat(p.get("hmac_key").asText()).isEqualTo("SECRET_KEY");
  }

  // ------------------------------------------------------------------------------ deciding

  static List<Outcome> transport(String t) {
    return outcomes.stream().filter(o -> o.testCase().get("transport").asText().equals(t)).toList();
  }

  static List<String> disagreements(List<Outcome> list) {
    List<String> out = new ArrayList<>();
    for (Outcome o : list) {
      if (!o.agree()) {
        out.add(o.name() + ": OSProfiler " + o.osprofiler().brief() + ", Weft " + o.weft().brief());
      }
    }
    return out;
  }

  static List<Outcome> decideAll() throws Exception {
    List<JsonNode> direct = new ArrayList<>();
    for (JsonNode c : corpus) {
      if (c.get("transport").asText().equals("direct")) {
        direct.add(c);
      }
    }
    ArrayNode directCases = Osprofiler.JSON.createArrayNode().addAll(direct);
    JsonNode directAnswers =
        Osprofiler.run(
            "osprofiler_direct.py", Osprofiler.JSON.writeValueAsString(directCases), HMAC_KEYS);

    List<Outcome> out = new ArrayList<>();
    int d = 0;
    StringBuilder table = new StringBuilder();
    for (JsonNode c : corpus) {
      Outcome o;
      if (c.get("transport").asText().equals("http")) {
        List<List<String>> headers = headers(c);
        Weft.flush();
        MemoryCollector.clear(); // cases share base_ids: each reads only its own servlet span
        RawHttp.Response py = RawHttp.get(osprofiler.port(), "/probe", headers);
        RawHttp.Response weft = RawHttp.get(jettyPort, "/probe", headers);
        o = new Outcome(c, osprofilerDecision(c, py.status(), py.body()), weftDecision(c, weft));
      } else {
        JsonNode answer = directAnswers.get(d++);
        o =
            new Outcome(
                c,
                osprofilerDecision(
                    c, answer.get("status").asInt(), Osprofiler.JSON.writeValueAsString(answer)),
                weftDirect(c));
      }
      out.add(o);
      System.out.println(
          "TIMING " + (System.nanoTime() / 1_000_000) + " " + c.get("name").asText());
      table
          .append(o.agree() ? "same      " : "DIFFERENT ")
          .append(String.format(Locale.ROOT, "%-6s ", c.get("transport").asText()))
          .append(o.name())
          .append("\n    OSProfiler: ")
          .append(o.osprofiler().brief())
          .append("\n    Weft:       ")
          .append(o.weft().brief())
          .append('\n');
    }
    long traced = out.stream().filter(o -> o.osprofiler().traced()).count();
    long same = out.stream().filter(Outcome::agree).count();
    String summary =
        String.format(
            Locale.ROOT,
            "header corpus: %d cases (%d over HTTP, %d in-process), %d traced by OSProfiler,"
                + " %d decided alike by Weft%n",
            out.size(),
            out.size() - direct.size(),
            direct.size(),
            traced,
            same);
    System.out.print(summary);
    Path report = Path.of("target", "header-corpus.txt");
    Files.createDirectories(report.getParent());
    Files.writeString(report, summary + table, StandardCharsets.UTF_8);
    return out;
  }

  static List<List<String>> headers(JsonNode c) {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode h : c.get("headers")) {
      out.add(List.of(h.get(0).asText(), h.get(1).asText()));
    }
    return out;
  }

  static List<List<String>> headerList(Map<String, String> m) {
    List<List<String>> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(List.of(k, v)));
    return out;
  }

  static List<List<String>> headerList(JsonNode obj) {
    List<List<String>> out = new ArrayList<>();
    obj.fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals(TraceHeaders.TRACEPARENT)) {
                out.add(List.of(e.getKey(), e.getValue().asText()));
              }
            });
    return out;
  }

  static Decision osprofilerDecision(JsonNode c, int status, String body) throws Exception {
    if (status != 200) {
      return Decision.untraced(status);
    }
    JsonNode b = Osprofiler.JSON.readTree(body);
    if (!b.get("traced").asBoolean()) {
      return Decision.untraced(status);
    }
    return normalized(
        c,
        b.get("base_id").asText(),
        b.get("parent_id").asText(),
        b.get("hmac_key").asText(),
        status);
  }

  static Decision weftDecision(JsonNode c, RawHttp.Response r) throws Exception {
    if (r.status() != 200) {
      return Decision.untraced(r.status());
    }
    JsonNode b = Osprofiler.JSON.readTree(r.body());
    if (!b.get("traced").asBoolean()) {
      return Decision.untraced(200);
    }
    String base = b.get("base_id").asText();
    return normalized(c, base, servletParent(base), keyOf(b.get("outgoing")), 200);
  }

  static Decision weftDirect(JsonNode c) {
    Map<String, String> joined = new LinkedHashMap<>();
    for (List<String> h : headers(c)) {
      joined.merge(h.get(0).toLowerCase(Locale.ROOT), h.get(1), (a, b) -> a + "," + b);
    }
    try (TraceScope t =
        Trace.beginFromHeaders(
            joined.get("x-trace-info"), joined.get("x-trace-hmac"), joined.get("traceparent"))) {
      if (t == null) {
        return Decision.untraced(200);
      }
      Map<String, String> out = TraceHeaders.outgoing();
      return normalized(
          c, Trace.baseId(), Trace.currentSpanId(), keyOf(Osprofiler.JSON.valueToTree(out)), 200);
    }
  }

  /** The key whose MAC is on the outgoing pair: the key that authorised the trace. */
  static String keyOf(JsonNode outgoing) {
    if (outgoing == null || outgoing.get(TraceHeaders.X_TRACE_INFO) == null) {
      return null;
    }
    String info = outgoing.get(TraceHeaders.X_TRACE_INFO).asText();
    String mac = outgoing.get(TraceHeaders.X_TRACE_HMAC).asText();
    for (String k : KEYS) {
      if (OsprofilerHeaders.hmac(info, k).equals(mac)) {
        return k;
      }
    }
    return "<none of the keys>";
  }

  /** A base_id the case did not carry (a UUID4 OSProfiler or Weft drew) reads as NEW_UUID. */
  static Decision normalized(JsonNode c, String base, String parent, String key, int status) {
    List<String> sent = new ArrayList<>();
    c.get("sent_ids").forEach(n -> sent.add(n.asText()));
    String b = base;
    if (!sent.contains(base) && UUID4.matcher(base).matches()) {
      b = NEW_UUID;
    }
    String p = parent != null && parent.equals(base) ? b : parent;
    return new Decision(true, b, p, key, status);
  }

  /** The parent_id of the stored servlet span of trace {@code baseId}. */
  static String servletParent(String baseId) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      Weft.flush();
      for (Event e : MemoryCollector.events()) {
        if (baseId.equals(e.baseId())) {
          JsonNode ev = Osprofiler.JSON.readTree(e.json());
          if (ev.get("name").asText().equals("wsgi-start")) {
            return ev.get("parent_id").asText();
          }
        }
      }
      Thread.sleep(5);
    }
    return "<no servlet span stored>";
  }

  static String parentOf(String info) throws Exception {
    byte[] json = java.util.Base64.getUrlDecoder().decode(info);
    return Osprofiler.JSON.readTree(json).get("parent_id").asText();
  }

  /** Short and ASCII: long ids cut, anything outside printable ASCII as a {@code \\u} escape. */
  static String cut(String s) {
    if (s == null) {
      return null;
    }
    String t = s.length() <= 60 ? s : s.substring(0, 40) + "...(" + s.length() + " chars)";
    StringBuilder b = new StringBuilder();
    for (char c : t.toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------------------ the fixture

  static Path fixtureFile() {
    return Path.of(System.getProperty("weft.fixtures", "../fixtures/osprofiler"))
        .resolve("header-corpus.json");
  }

  /** The corpus with OSProfiler's decisions, as fixtures/osprofiler/header-corpus.json holds it. */
  static ObjectNode fixture() throws Exception {
    ObjectNode root = Osprofiler.JSON.createObjectNode();
    root.put(
        "source",
        "Generated by it-openstack/src/test/python/corpus.py with OSProfiler's own signed_pack,"
            + " get_trace_id_headers and generate_hmac; each \"osprofiler\" member is what"
            + " osprofiler.web.WsgiMiddleware (Debian's python3-osprofiler 3.4.3, Python 3.11)"
            + " decided: over HTTP through Python's wsgiref server for transport \"http\","
            + " in-process for \"direct\" (values HTTP/1.1 cannot carry). Checked and rewritten by"
            + " it-openstack's HeaderCorpusTest (-Dweft.corpus.update=true); replayed by core's"
            + " HeaderCorpusTest. \""
            + NEW_UUID
            + "\" is a base_id OSProfiler drew at random.");
    root.put("hmac_keys", HMAC_KEYS);
    ArrayNode cases = root.putArray("cases");
    for (Outcome o : outcomes) {
      ObjectNode c = o.testCase().deepCopy();
      ObjectNode d = c.putObject("osprofiler");
      d.put("status", o.osprofiler().status());
      d.put("traced", o.osprofiler().traced());
      if (o.osprofiler().traced()) {
        d.put("base_id", o.osprofiler().baseId());
        d.put("parent_id", o.osprofiler().parentId());
        d.put("hmac_key", o.osprofiler().key());
      }
      cases.add(c);
    }
    return root;
  }
}
