package dev.weft.cli.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.cli.internal.TraceModel.SpanNode;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code weft ui}: a small web server (the JDK's {@code com.sun.net.httpserver}) over one {@link
 * TraceReader}, with server-rendered pages made by the views' own code:
 *
 * <ul>
 *   <li>{@code /} the trace list, newest first, {@value #PAGE_SIZE} a page ({@code page=N}),
 *       filtered by {@code service}, {@code label} (a span's label, or its key as stats groups it,
 *       starts with it), {@code min} (milliseconds), {@code errors}, {@code since} and {@code
 *       until} (as {@code weft trace stats --since} takes them);
 *   <li>{@code /trace/ID} the trace's HTML view ({@link HtmlView});
 *   <li>{@code /stats} with the same filters, the stats page ({@link StatsView});
 *   <li>{@code /diff?a=ID&b=ID} the diff page ({@link Diff}).
 * </ul>
 *
 * <p>Design note: only GET; a path that is none of these is 404, a bad parameter 400 with a plain
 * message. A trace id from the path or a parameter only ever goes to {@link TraceReader#events} as
 * an id (the file collector maps ids to names that cannot leave its directory). Every page carries
 * its view's Content-Security-Policy both in the page and as a header (with {@code form-action
 * 'self'; frame-ancestors 'none'; base-uri 'none'} added), and {@code X-Content-Type-Options:
 * nosniff}; stored values are escaped by {@link HtmlView#esc}, URLs built from them are
 * percent-encoded first. Bound to a loopback address, the server answers only requests whose {@code
 * Host} names a loopback host, so a web page whose DNS name points at 127.0.0.1 cannot read traces
 * through the browser. The list reads the events of the traces on its page; with a service, label
 * or duration filter it reads traces newest first until the page is full, at most {@code scanCap}
 * ({@value #SCAN_CAP}) of them, and says so when the cap stops it; the stats page reads at most as
 * many. Requests are served one at a time, on one thread, so the reader is never used concurrently.
 */
public final class Ui implements AutoCloseable {
  /** Traces per list page. */
  public static final int PAGE_SIZE = 50;

  /** Traces a filtered list or the stats page reads at most, newest first. */
  public static final int SCAN_CAP = 5_000;

  private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";
  private static final String EXTRA_POLICY =
      "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private static final Set<String> FILTERS =
      Set.of("service", "label", "min", "errors", "since", "until");

  private final TraceReader reader;
  private final String source;
  private final int scanCap;
  private final HttpServer server;
  private final ExecutorService executor;
  private final InetAddress bind;
  private final boolean loopback;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Ui(TraceReader reader, String source, InetAddress bind, int port, int scanCap)
      throws IOException {
    this.reader = reader;
    this.source = source;
    this.scanCap = scanCap;
    this.bind = bind;
    this.loopback = bind.isLoopbackAddress();
    this.server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "weft-ui");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server on {@code bind:port} ({@code port} 0 picks a free one).
   *
   * @param source the connection string as pages show it (password replaced)
   */
  public static Ui start(TraceReader reader, String source, InetAddress bind, int port)
      throws IOException {
    return new Ui(reader, source, bind, port, SCAN_CAP);
  }

  /** The same with another scan cap, for tests. */
  public static Ui start(TraceReader reader, String source, InetAddress bind, int port, int scanCap)
      throws IOException {
    if (scanCap < 1) {
      throw new IllegalArgumentException("scanCap must be at least 1");
    }
    return new Ui(reader, source, bind, port, scanCap);
  }

  /** The port listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address of the list page, such as {@code http://127.0.0.1:8421/}. */
  public String url() {
    String host = bind.getHostAddress();
    if (host.indexOf(':') >= 0) {
      int zone = host.indexOf('%');
      host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
    }
    return "http://" + host + ":" + port() + "/";
  }

  /** Blocks until {@link #close()}. */
  public void await() throws InterruptedException {
    stopped.await();
  }

  /** Stops the server and closes the reader. */
  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      reader.close();
    } catch (Exception e) {
      // nothing more to do when stopping
    }
    stopped.countDown();
  }

  // ---- requests

  /** A request the server refuses, with its status and a plain message. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** A page to send: its status, policy and how to write its body. */
  private record Page(int status, String policy, java.util.function.Consumer<Sink> body) {}

  private void handle(HttpExchange ex) {
    try (ex) {
      Page page;
      try {
        page = route(ex);
      } catch (Refused r) {
        plain(ex, r.status, r.getMessage());
        return;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        plain(ex, 502, "weft ui: cannot read from " + source + ": " + Source.redact(e));
        return;
      }
      headers(ex, page.policy, "text/html; charset=utf-8");
      ex.sendResponseHeaders(page.status, 0);
      try (Writer w = new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8)) {
        Sink sink = new Sink(w);
        page.body.accept(sink);
        sink.flush();
      }
    } catch (IOException | UncheckedIOException e) {
      // the browser went away
    } catch (RuntimeException e) {
      try {
        plain(ex, 500, "weft ui: " + Source.redact(e));
      } catch (IOException | RuntimeException ignored) {
        // headers already sent
      }
    }
  }

  private static void headers(HttpExchange ex, String policy, String type) {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Content-Security-Policy", policy + EXTRA_POLICY);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
  }

  private static void plain(HttpExchange ex, int status, String message) throws IOException {
    byte[] body = (Text.visible(message) + "\n").getBytes(StandardCharsets.UTF_8);
    headers(ex, "default-src 'none'", "text/plain; charset=utf-8");
    if (status == 405) {
      ex.getResponseHeaders().set("Allow", "GET");
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private Page route(HttpExchange ex) throws Exception {
    if (!"GET".equals(ex.getRequestMethod())) {
      throw new Refused(405, "weft ui: only GET");
    }
    if (loopback && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
      throw new Refused(
          403, "weft ui: this server answers only requests for 127.0.0.1, localhost or [::1]");
    }
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    if (path == null) {
      throw new Refused(404, "weft ui: no such page");
    }
    switch (path) {
      case "/":
        return list(query(query, union(FILTERS, Set.of("page", "a", "b"))));
      case "/stats":
        return stats(query(query, FILTERS));
      case "/diff":
        return diff(query(query, Set.of("a", "b")));
      default:
        break;
    }
    if (path.startsWith("/trace/")) {
      String rest = path.substring("/trace/".length());
      if (!rest.isEmpty() && rest.indexOf('/') < 0) {
        query(query, Set.of());
        return trace(decodePath(rest));
      }
    }
    throw new Refused(404, "weft ui: no such page: " + shorten(path));
  }

  /** Whether a Host header names a loopback host (any port). */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return false;
      }
      String rest = h.substring(end + 1);
      return h.substring(1, end).equals("::1") && (rest.isEmpty() || port(rest));
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    if (colon >= 0 && !port(h.substring(colon))) {
      return false;
    }
    return name.equals("localhost") || name.equals("127.0.0.1");
  }

  private static boolean port(String colonDigits) {
    return colonDigits.matches(":\\d{1,5}");
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(b);
    return s;
  }

  /** The query's parameters; empty values count as absent. */
  static Map<String, String> query(String raw, Set<String> allowed) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    if (raw.length() > 8192) {
      throw new Refused(400, "weft ui: the query is too long");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = decodeForm(eq < 0 ? part : part.substring(0, eq));
      String v = eq < 0 ? "" : decodeForm(part.substring(eq + 1)).trim();
      if (!allowed.contains(k)) {
        throw new Refused(
            400,
            "weft ui: unknown parameter '"
                + shorten(k)
                + "'"
                + (allowed.isEmpty()
                    ? "; this page takes none"
                    : "; this page takes " + String.join(", ", new java.util.TreeSet<>(allowed))));
      }
      if (!seen.add(k)) {
        throw new Refused(400, "weft ui: parameter '" + k + "' given more than once");
      }
      if (!v.isEmpty()) {
        m.put(k, v);
      }
    }
    return m;
  }

  private static String decodeForm(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "weft ui: bad percent-encoding in the query");
    }
  }

  private static String decodePath(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "weft ui: bad percent-encoding in the path");
    }
  }

  private static String shorten(String s) {
    return StatsView.shorten(s, 200);
  }

  /** A query value, percent-encoded. */
  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The path of a trace's page. */
  static String traceHref(String baseId) {
    return "/trace/" + enc(baseId);
  }

  // ---- filters

  /** The list's and the stats page's filters, as given and as parsed. */
  record Filter(
      Map<String, String> given,
      String service,
      String label,
      Long minUs,
      boolean errors,
      Long sinceUs,
      Long untilUs) {
    boolean needsEvents() {
      return service != null || label != null || minUs != null;
    }

    /** The query string of these filters (with {@code &} as a separator), without extras. */
    String query() {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, String> e : given.entrySet()) {
        if (FILTERS.contains(e.getKey())) {
          b.append(b.length() == 0 ? "" : "&").append(e.getKey()).append('=');
          b.append(enc(e.getValue()));
        }
      }
      return b.toString();
    }
  }

  static Filter filter(Map<String, String> q, Instant now) {
    Long minUs = null;
    String min = q.get("min");
    if (min != null) {
      try {
        BigDecimal ms = new BigDecimal(min);
        if (ms.signum() < 0 || ms.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
          throw new NumberFormatException();
        }
        minUs = ms.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw new Refused(
            400,
            "weft ui: min is a duration in milliseconds (such as 10 or 0.5), not '"
                + shorten(min)
                + "'");
      }
    }
    boolean errors = false;
    String err = q.get("errors");
    if (err != null) {
      switch (err.toLowerCase(Locale.ROOT)) {
        case "1", "on", "true", "yes" -> errors = true;
        case "0", "off", "false", "no" -> errors = false;
        default -> throw new Refused(400, "weft ui: errors is 1 or 0, not '" + shorten(err) + "'");
      }
    }
    return new Filter(
        q,
        q.get("service"),
        q.get("label"),
        minUs,
        errors,
        time(q, "since", now),
        time(q, "until", now));
  }

  private static Long time(Map<String, String> q, String name, Instant now) {
    String v = q.get(name);
    if (v == null) {
      return null;
    }
    Long us = StatsCommand.since(v, now);
    if (us == null) {
      throw new Refused(
          400,
          "weft ui: "
              + name
              + " takes an ISO time (2025-03-14T09:00:00, 2025-03-14) or a duration before now"
              + " (90s, 15m, 1h, 2d, PT1H), not '"
              + shorten(v)
              + "'");
    }
    return us;
  }

  private record Candidate(TraceSummary t, long us) {}

  /** The store's traces in the filter's time range, newest first (those without a time last). */
  private List<Candidate> candidates(Filter f) throws Exception {
    List<Candidate> out = new ArrayList<>();
    for (TraceSummary t : reader.list(f.errors)) {
      long us = micros(t.timestamp());
      if ((f.sinceUs != null || f.untilUs != null) && us == Long.MIN_VALUE) {
        continue;
      }
      if ((f.sinceUs != null && us < f.sinceUs) || (f.untilUs != null && us > f.untilUs)) {
        continue;
      }
      out.add(new Candidate(t, us));
    }
    out.sort(Comparator.comparingLong(Candidate::us).reversed().thenComparing(c -> c.t.baseId()));
    return out;
  }

  private static long micros(String ts) {
    if (ts == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Event.parseTimestamp(ts);
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /** One list row: what a trace's events say about it, or only its id when they cannot be read. */
  record Row(
      String baseId,
      String timestamp,
      boolean readable,
      long totalUs,
      String root,
      List<String> services,
      int spans,
      int errors) {}

  private Row summarize(TraceSummary t, TraceModel[] model) {
    LoadedTrace lt;
    try {
      lt = LoadedTrace.load(t.baseId(), reader.events(t.baseId()), Limits.DEFAULT);
    } catch (Exception e) {
      return new Row(t.baseId(), t.timestamp(), false, 0, null, List.of(), 0, 0);
    }
    if (lt.isEmpty()) {
      return new Row(t.baseId(), t.timestamp(), false, 0, null, List.of(), 0, 0);
    }
    TraceModel m = lt.model();
    model[0] = m;
    Set<String> services = new LinkedHashSet<>();
    int errors = 0;
    for (SpanNode s : m.spans) {
      if (s.service != null) {
        services.add(s.service);
      }
      if (s.isError()) {
        errors++;
      }
    }
    String root = m.roots.isEmpty() ? null : Label.of(m.roots.get(0));
    return new Row(
        t.baseId(),
        t.timestamp(),
        true,
        m.totalUs,
        root,
        List.copyOf(services),
        m.spans.size(),
        errors);
  }

  private static boolean matches(TraceModel m, Filter f) {
    if (m == null) {
      return false;
    }
    if (f.minUs != null && m.totalUs < f.minUs) {
      return false;
    }
    boolean service = f.service == null;
    boolean label = f.label == null;
    for (SpanNode s : m.spans) {
      if (!service && f.service.equals(s.service)) {
        service = true;
      }
      if (!label && (Label.of(s).startsWith(f.label) || Label.key(s).startsWith(f.label))) {
        label = true;
      }
      if (service && label) {
        return true;
      }
    }
    return service && label;
  }

  // ---- pages

  private Page list(Map<String, String> q) throws Exception {
    Filter f = filter(q, Instant.now());
    int page = 1;
    if (q.containsKey("page")) {
      try {
        page = Integer.parseInt(q.get("page"));
      } catch (NumberFormatException e) {
        page = 0;
      }
      if (page < 1 || page > 1_000_000) {
        throw new Refused(
            400, "weft ui: page is a number from 1, not '" + shorten(q.get("page")) + "'");
      }
    }
    List<Candidate> all = candidates(f);
    long from = (long) (page - 1) * PAGE_SIZE;
    List<Row> rows = new ArrayList<>();
    boolean hasNext;
    long total = -1;
    boolean capped = false;
    if (!f.needsEvents()) {
      total = all.size();
      for (long i = from; i < Math.min(all.size(), from + PAGE_SIZE); i++) {
        rows.add(summarize(all.get((int) i).t, new TraceModel[1]));
      }
      hasNext = from + PAGE_SIZE < total;
    } else {
      long matched = 0;
      int scanned = 0;
      hasNext = false;
      for (Candidate c : all) {
        if (scanned == scanCap) {
          capped = true;
          break;
        }
        scanned++;
        TraceModel[] m = new TraceModel[1];
        Row r = summarize(c.t, m);
        if (!matches(m[0], f)) {
          continue;
        }
        if (matched >= from + PAGE_SIZE) {
          hasNext = true;
          break;
        }
        if (matched >= from) {
          rows.add(r);
        }
        matched++;
      }
      if (!hasNext && !capped) {
        total = matched;
      }
    }
    final int thisPage = page;
    final long fTotal = total;
    final boolean fHasNext = hasNext;
    final boolean fCapped = capped;
    final int candidates = all.size();
    return new Page(
        200,
        PAGE_POLICY,
        b -> listPage(b, f, q, thisPage, rows, fTotal, fHasNext, fCapped, candidates));
  }

  private void listPage(
      Sink b,
      Filter f,
      Map<String, String> q,
      int page,
      List<Row> rows,
      long total,
      boolean hasNext,
      boolean capped,
      int candidates) {
    head(b, "Weft traces");
    b.append(nav(null));
    b.append("<header>\n<h1>Traces</h1>\n<p class=\"source\">in ")
        .append(HtmlView.esc(source))
        .append("</p>\n");
    filterForm(b, "/", f, q.get("a"), q.get("b"));
    long from = (long) (page - 1) * PAGE_SIZE;
    b.append("<p class=\"count\" id=\"count\">");
    if (rows.isEmpty()) {
      b.append(
          page == 1
              ? "No traces" + (f.given.isEmpty() ? "" : " match these filters")
              : "No traces on page " + page);
      if (total >= 0 && page > 1) {
        b.append(" (").append(count(total)).append(")");
      }
    } else {
      b.append("Showing ")
          .append(from + 1)
          .append("\u2013")
          .append(from + rows.size())
          .append(" of ");
      if (total >= 0) {
        b.append(count(total));
      } else {
        b.append("at least ").append(count(from + rows.size() + (hasNext ? 1 : 0)));
      }
    }
    b.append("</p>\n");
    if (capped) {
      b.append("<p class=\"note\" id=\"capped\">The service, label and duration filters read")
          .append(" only the ")
          .append(String.format(Locale.ROOT, "%,d", scanCap))
          .append(" newest of the ")
          .append(String.format(Locale.ROOT, "%,d", candidates))
          .append(" traces in the time range; set since or until to look at older ones.</p>\n");
    }
    b.append("</header>\n<main>\n");
    if (!rows.isEmpty()) {
      b.append("<form class=\"pick\" action=\"/diff\" method=\"get\">\n");
      String a = q.get("a");
      boolean aShown = a == null;
      for (Row r : rows) {
        aShown |= r.baseId.equals(a);
      }
      if (!aShown) {
        b.append("<p class=\"picked\"><label><input type=\"radio\" name=\"a\" value=\"")
            .append(HtmlView.esc(a))
            .append("\" checked> A: <code>")
            .append(HtmlView.esc(a))
            .append("</code></label> \u2014 pick B below</p>\n");
      }
      b.append("<table class=\"traces\">\n<tr><th title=\"first trace of a diff\">A</th>")
          .append("<th title=\"second trace of a diff\">B</th><th>Start</th>")
          .append("<th class=\"num\">Duration</th><th class=\"l\">Trace</th>")
          .append(
              "<th class=\"l\">Services</th><th class=\"num\">Spans</th><th>Errors</th></tr>\n");
      for (Row r : rows) {
        row(b, r, q.get("a"), q.get("b"));
      }
      b.append("</table>\n<p><button type=\"submit\">Diff A \u2192 B</button></p>\n</form>\n");
    }
    b.append("<p class=\"pages\">");
    String base = f.query();
    String keep = keepAB(q);
    if (page > 1) {
      b.append("<a rel=\"prev\" href=\"/?")
          .append(HtmlView.esc(join(base, keep, "page=" + (page - 1))))
          .append("\">\u2039 Previous</a>");
    }
    b.append("<span>Page ").append(page).append("</span>");
    if (hasNext) {
      b.append("<a rel=\"next\" href=\"/?")
          .append(HtmlView.esc(join(base, keep, "page=" + (page + 1))))
          .append("\">Next \u203a</a>");
    }
    b.append("</p>\n</main>\n<footer>Weft \u00b7 newest first, ")
        .append(PAGE_SIZE)
        .append(" a page</footer>\n</body>\n</html>\n");
  }

  private static String count(long n) {
    return n + (n == 1 ? " trace" : " traces");
  }

  private static String keepAB(Map<String, String> q) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("a", "b")) {
      if (q.containsKey(k)) {
        b.append(b.length() == 0 ? "" : "&").append(k).append('=').append(enc(q.get(k)));
      }
    }
    return b.toString();
  }

  private static String join(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (!p.isEmpty()) {
        b.append(b.length() == 0 ? "" : "&").append(p);
      }
    }
    return b.toString();
  }

  private static void row(Sink b, Row r, String a, String bId) {
    String id = HtmlView.esc(r.baseId);
    b.append("<tr class=\"trace")
        .append(r.errors > 0 ? " err" : "")
        .append("\"><td><input type=\"radio\" name=\"a\" value=\"")
        .append(id)
        .append('"')
        .append(r.baseId.equals(a) ? " checked" : "")
        .append(" aria-label=\"A\"></td><td><input type=\"radio\" name=\"b\" value=\"")
        .append(id)
        .append('"')
        .append(r.baseId.equals(bId) ? " checked" : "")
        .append(" aria-label=\"B\"></td><td class=\"ts\">")
        .append(r.timestamp == null ? "-" : HtmlView.esc(r.timestamp))
        .append("</td><td class=\"num dur\">")
        .append(r.readable ? HtmlView.esc(TraceModel.ms(r.totalUs)) : "-")
        .append("</td><td class=\"l\"><a class=\"root\" href=\"")
        .append(HtmlView.esc(traceHref(r.baseId)))
        .append("\">")
        .append(r.readable ? HtmlView.esc(r.root) : "(unreadable)")
        .append("</a><br><code class=\"id\">")
        .append(id)
        .append("</code></td><td class=\"l svc\">")
        .append(HtmlView.esc(String.join(", ", r.services)))
        .append("</td><td class=\"num\">")
        .append(r.spans)
        .append("</td><td class=\"errors\">")
        .append(r.errors == 0 ? "-" : r.errors + (r.errors == 1 ? " error" : " errors"))
        .append("</td></tr>\n");
  }

  private Page trace(String baseId) throws Exception {
    LoadedTrace t = LoadedTrace.load(baseId, reader.events(baseId), Limits.DEFAULT);
    if (t.isEmpty()) {
      throw new Refused(404, "weft ui: trace " + shorten(baseId) + " not found");
    }
    TraceModel m = t.model();
    StringBuilder nav = new StringBuilder(nav("trace"));
    nav.setLength(nav.length() - "</nav>\n".length());
    nav.append("<form class=\"diffwith\" action=\"/diff\" method=\"get\">")
        .append("<input type=\"hidden\" name=\"a\" value=\"")
        .append(HtmlView.esc(baseId))
        .append("\"><label>Diff with <input name=\"b\" placeholder=\"base_id\" size=\"38\">")
        .append("</label><button type=\"submit\">Diff</button></form>")
        .append("<a id=\"pick-b\" href=\"/?a=")
        .append(HtmlView.esc(enc(baseId)))
        .append("\">Pick the other trace from the list</a>");
    for (String w : t.warnings()) {
      nav.append("<span class=\"note\">").append(HtmlView.esc(w)).append("</span>");
    }
    nav.append("</nav>\n");
    return new Page(200, HtmlView.policy(), b -> HtmlView.render(m, b, nav.toString()));
  }

  private Page stats(Map<String, String> q) throws Exception {
    Filter f = filter(q, Instant.now());
    Stats st = new Stats(f.service, f.label, 10, 1000);
    List<Candidate> all = candidates(f);
    int scanned = 0;
    for (Candidate c : all) {
      if (scanned == scanCap) {
        break;
      }
      scanned++;
      LoadedTrace t;
      try {
        t = LoadedTrace.load(c.t.baseId(), reader.events(c.t.baseId()), Limits.DEFAULT);
      } catch (Exception e) {
        st.unreadable();
        continue;
      }
      if (t.isEmpty()) {
        st.unreadable();
        continue;
      }
      TraceModel m = t.model();
      if (f.minUs != null && m.totalUs < f.minUs) {
        continue;
      }
      st.add(m, c.t.timestamp());
    }
    Sink nav = new Sink();
    nav.append(nav("stats"));
    filterForm(nav, "/stats", f, null, null);
    if (all.size() > scanCap) {
      nav.append("<p class=\"note\" id=\"capped\">Only the ")
          .append(String.format(Locale.ROOT, "%,d", scanCap))
          .append(" newest of the ")
          .append(String.format(Locale.ROOT, "%,d", all.size()))
          .append(" traces in the time range were read; set since or until to look at others,")
          .append(" or run weft trace stats.</p>\n");
    }
    String navHtml = nav.toString();
    return new Page(200, PAGE_POLICY, b -> StatsView.html(st, source, b, navHtml, Ui::traceHref));
  }

  private Page diff(Map<String, String> q) throws Exception {
    String a = q.get("a");
    String b = q.get("b");
    if (a == null || b == null) {
      throw new Refused(400, "weft ui: a diff takes two traces: /diff?a=BASE_ID&b=BASE_ID");
    }
    TraceModel ma = load(a);
    TraceModel mb = load(b);
    Diff d = Diff.of(ma, mb);
    StringBuilder nav = new StringBuilder(nav("diff"));
    nav.setLength(nav.length() - "</nav>\n".length());
    nav.append("<a id=\"trace-a\" href=\"")
        .append(HtmlView.esc(traceHref(a)))
        .append("\">A: ")
        .append(HtmlView.esc(shorten(a)))
        .append("</a><a id=\"trace-b\" href=\"")
        .append(HtmlView.esc(traceHref(b)))
        .append("\">B: ")
        .append(HtmlView.esc(shorten(b)))
        .append("</a><a id=\"swap\" href=\"/diff?a=")
        .append(HtmlView.esc(enc(b) + "&b=" + enc(a)))
        .append("\">Swap</a></nav>\n");
    String navHtml = nav.toString();
    return new Page(200, PAGE_POLICY, s -> d.html(s, navHtml));
  }

  private TraceModel load(String baseId) throws Exception {
    LoadedTrace t = LoadedTrace.load(baseId, reader.events(baseId), Limits.DEFAULT);
    if (t.isEmpty()) {
      throw new Refused(404, "weft ui: trace " + shorten(baseId) + " not found");
    }
    return t.model();
  }

  // ---- markup

  private static final String NAV_CSS =
      "<style>\n"
          + "nav.ui{display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;padding:8px 20px;"
          + "background:#f6f8fa;border-bottom:1px solid #d8dee4;font:13px/1.45 system-ui,"
          + "-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
          + "nav.ui a{color:#0969da;text-decoration:none}\n"
          + "nav.ui a:hover{text-decoration:underline}\n"
          + "nav.ui a.here{color:#1f2328;font-weight:600}\n"
          + "nav.ui .brand{font-weight:700;color:#1f2328}\n"
          + "nav.ui form,form.filters{display:inline-flex;flex-wrap:wrap;gap:6px 12px;"
          + "align-items:center;margin:0}\n"
          + "form.filters{padding:8px 20px;font:13px/1.45 system-ui,sans-serif}\n"
          + "nav.ui input,form.filters input{font:inherit;font-size:12px;padding:1px 6px}\n"
          + "nav.ui button,form.filters button{font:inherit;font-size:12px;padding:1px 10px}\n"
          + "form.filters a{color:#0969da;text-decoration:none}\n"
          + ".note{color:#9a6700}\n"
          + "</style>\n";

  /** The bar atop every page; {@code here} is the page it is on. */
  private static String nav(String here) {
    return NAV_CSS
        + "<nav class=\"ui\"><span class=\"brand\">Weft</span><a id=\"nav-list\" href=\"/\""
        + (here == null ? " class=\"here\"" : "")
        + ">Traces</a><a id=\"nav-stats\" href=\"/stats\""
        + ("stats".equals(here) ? " class=\"here\"" : "")
        + ">Stats</a></nav>\n";
  }

  private static void filterForm(Sink b, String action, Filter f, String a, String bId) {
    b.append("<form class=\"filters\" id=\"filters\" action=\"")
        .append(action)
        .append("\" method=\"get\">");
    input(b, "Service", "service", f.given.get("service"), "queues-api", 14);
    input(b, "Label starts with", "label", f.given.get("label"), "db SELECT", 16);
    input(b, "Min duration (ms)", "min", f.given.get("min"), "10", 6);
    b.append("<label><input type=\"checkbox\" name=\"errors\" value=\"1\"")
        .append(f.errors ? " checked" : "")
        .append("> Errors only</label>");
    input(b, "Since", "since", f.given.get("since"), "1h or 2025-03-14T09:00", 20);
    input(b, "Until", "until", f.given.get("until"), "", 20);
    for (String[] kv : new String[][] {{"a", a}, {"b", bId}}) {
      if (kv[1] != null) {
        b.append("<input type=\"hidden\" name=\"")
            .append(kv[0])
            .append("\" value=\"")
            .append(HtmlView.esc(kv[1]))
            .append("\">");
      }
    }
    b.append("<button type=\"submit\">Filter</button><a href=\"")
        .append(action)
        .append("\">Clear</a></form>\n");
  }

  private static void input(
      Sink b, String title, String name, String value, String placeholder, int size) {
    b.append("<label>")
        .append(title)
        .append(" <input name=\"")
        .append(name)
        .append("\" size=\"")
        .append(size)
        .append('"');
    if (value != null) {
      b.append(" value=\"").append(HtmlView.esc(value)).append('"');
    }
    if (!placeholder.isEmpty()) {
      b.append(" placeholder=\"").append(HtmlView.esc(placeholder)).append('"');
    }
    b.append("></label>");
  }

  private static final String LIST_CSS =
      """
      :root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#ffffff;--row:#f6f8fa;--err:#cf222e;\
      --errbg:#ffebe9}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,\
      sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:12px 0 6px;border-bottom:1px solid var(--line)}
      h1{font-size:18px;margin:0 0 2px;font-weight:600;padding:0 20px}
      header p{margin:4px 0;padding:0 20px;color:var(--muted)}
      main{padding:8px 20px 24px}
      table{border-collapse:collapse;font-size:13px;width:100%}
      th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
      th{color:var(--muted);font-weight:600}
      .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.ts{white-space:nowrap;font-variant-numeric:tabular-nums}
      a{color:#0969da;text-decoration:none}
      a:hover{text-decoration:underline}
      a.root{font-weight:500}
      code.id{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
      td.svc{color:var(--muted)}
      tr.err td{background:var(--errbg)}
      tr.err td.errors{color:var(--err);font-weight:600}
      .pages{display:flex;gap:16px;align-items:center;color:var(--muted)}
      button{font:inherit;font-size:12px;border:1px solid var(--line);background:var(--row);\
      border-radius:6px;padding:2px 10px;cursor:pointer}
      footer{padding:0 20px 20px;color:var(--muted);font-size:12px}
      """;

  private static void head(Sink b, String title) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(PAGE_POLICY)
        .append("\">\n");
    b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    b.append("<title>").append(HtmlView.esc(title)).append("</title>\n");
    b.append("<style>\n").append(LIST_CSS).append("</style>\n</head>\n<body>\n");
  }
}
