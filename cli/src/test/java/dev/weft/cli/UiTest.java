package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.internal.Ui;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft ui}'s routing, filters, paging, escaping and refusals, over a file:// store. */
class UiTest {
  @TempDir Path dir;
  Ui ui;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (ui != null) {
      ui.close();
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.port() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String ok(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static final Pattern ROW =
      Pattern.compile("<tr class=\"trace[^\"]*\">.*?<code class=\"id\">([^<]*)</code>");

  /** The base_ids of the list page's rows, in order. */
  static List<String> ids(String page) {
    List<String> out = new ArrayList<>();
    Matcher m = ROW.matcher(page);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String count(String page) {
    Matcher m = Pattern.compile("<p class=\"count\" id=\"count\">([^<]*)</p>").matcher(page);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void theListShowsEveryTraceNewestFirstWithItsSummary() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);
    assertThat(ui.url()).isEqualTo("http://127.0.0.1:" + ui.port() + "/");

    HttpResponse<String> r = get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                + " frame-ancestors 'none'; base-uri 'none'");
    String page = r.body();
    assertThat(page)
        .contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">")
        .doesNotContain("<script", "http://", "https://");
    assertThat(ids(page))
        .containsExactly(UiSamples.SLOWER_ID, "t4", "t3", "t2", "t1", Bottlenecks.QUEUES_ID);
    assertThat(count(page)).isEqualTo("Showing 1\u20136 of 6 traces");
    assertThat(page)
        .contains(
            "<tr class=\"trace\"><td><input type=\"radio\" name=\"a\" value=\""
                + Bottlenecks.QUEUES_ID
                + "\" aria-label=\"A\"></td><td><input type=\"radio\" name=\"b\" value=\""
                + Bottlenecks.QUEUES_ID
                + "\" aria-label=\"B\"></td><td class=\"ts\">2025-03-14T09:26:53.000000</td>"
                + "<td class=\"num dur\">20 ms</td><td class=\"l\"><a class=\"root\" href=\""
                + "/trace/"
                + Bottlenecks.QUEUES_ID
                + "\">wsgi GET /v2/queues/demo-1/messages</a><br><code class=\"id\">"
                + Bottlenecks.QUEUES_ID
                + "</code></td><td class=\"l svc\">queues-api, storage</td>"
                + "<td class=\"num\">9</td><td class=\"errors\">-</td></tr>")
        .contains("<tr class=\"trace err\"><td><input type=\"radio\" name=\"a\" value=\"t4\"")
        .contains(
            "<td class=\"l svc\">api</td><td class=\"num\">3</td>"
                + "<td class=\"errors\">1 error</td></tr>");
  }

  @Test
  void filtersSelectTraces() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    assertThat(ids(ok("/?errors=1"))).containsExactly("t4");
    assertThat(ids(ok("/?service=storage")))
        .containsExactly(UiSamples.SLOWER_ID, "t3", Bottlenecks.QUEUES_ID);
    assertThat(count(ok("/?service=storage"))).isEqualTo("Showing 1\u20133 of 3 traces");
    assertThat(ids(ok("/?min=20"))).containsExactly(UiSamples.SLOWER_ID, Bottlenecks.QUEUES_ID);
    assertThat(ids(ok("/?min=3&service=api"))).containsExactly("t3", "t2");
    // a label as shown, or its key as stats groups it
    assertThat(ids(ok("/?label=mongodb+find")))
        .containsExactly(UiSamples.SLOWER_ID, "t3", Bottlenecks.QUEUES_ID);
    assertThat(ids(ok("/?label=redis+GET+queue%3Ademo-%3F"))).hasSize(6);
    assertThat(ids(ok("/?label=redis+GET+queue%3Ademo-2"))).containsExactly("t2");
    // times are UTC; since and until include their ends
    assertThat(ids(ok("/?since=2025-03-14T09:28:53&until=2025-03-14T09:30:53.000")))
        .containsExactly("t4", "t3", "t2");
    assertThat(ids(ok("/?since=1h"))).isEmpty();
    String none = ok("/?since=1h");
    assertThat(count(none)).isEqualTo("No traces match these filters");
    // empty form fields are no filter; the form shows what was asked
    assertThat(ids(ok("/?service=&label=&min=&since=&until="))).hasSize(6);
    String form = ok("/?service=storage&errors=1");
    assertThat(form)
        .contains("<input name=\"service\" size=\"14\" value=\"storage\"")
        .contains("<input type=\"checkbox\" name=\"errors\" value=\"1\" checked>");
    assertThat(ids(form)).isEmpty();
  }

  @Test
  void pagesHoldFiftyTraces() throws Exception {
    for (int i = 0; i < 120; i++) {
      new Bottlenecks.Trace(String.format("p%03d", i), Bottlenecks.T0.plusSeconds(i))
          .service(i % 2 == 0 ? "even" : "odd")
          .span("e", null, "wsgi", 0, 1000 + i)
          .writeTo(dir);
    }
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    String p1 = ok("/");
    assertThat(ids(p1)).hasSize(50).startsWith("p119", "p118").endsWith("p070");
    assertThat(count(p1)).isEqualTo("Showing 1\u201350 of 120 traces");
    assertThat(p1).contains("<a rel=\"next\" href=\"/?page=2\">").doesNotContain("rel=\"prev\"");
    String p3 = ok("/?page=3");
    assertThat(ids(p3)).hasSize(20).startsWith("p019").endsWith("p000");
    assertThat(count(p3)).isEqualTo("Showing 101\u2013120 of 120 traces");
    assertThat(p3).contains("<a rel=\"prev\" href=\"/?page=2\">").doesNotContain("rel=\"next\"");
    assertThat(count(ok("/?page=4"))).isEqualTo("No traces on page 4 (120 traces)");

    // With a filter that reads events, pages stop reading once full.
    String odd1 = ok("/?service=odd");
    assertThat(ids(odd1)).hasSize(50).startsWith("p119", "p117").endsWith("p021");
    assertThat(count(odd1)).isEqualTo("Showing 1\u201350 of at least 51 traces");
    assertThat(odd1).contains("<a rel=\"next\" href=\"/?service=odd&amp;page=2\">");
    String odd2 = ok("/?service=odd&page=2");
    assertThat(ids(odd2)).hasSize(10).endsWith("p001");
    assertThat(count(odd2)).isEqualTo("Showing 51\u201360 of 60 traces");
    // a picked A survives paging
    assertThat(ok("/?a=p005&page=2")).contains("<a rel=\"prev\" href=\"/?a=p005&amp;page=1\">");
  }

  @Test
  void aFilterReadsAtMostTheScanCap() throws Exception {
    for (int i = 0; i < 30; i++) {
      new Bottlenecks.Trace(String.format("p%03d", i), Bottlenecks.T0.plusSeconds(i))
          .service(i < 5 ? "old" : "new")
          .span("e", null, "wsgi", 0, 1000)
          .writeTo(dir);
    }
    ui = UiSamples.start(dir, 10);

    String page = ok("/?service=old");
    assertThat(ids(page)).isEmpty();
    assertThat(page)
        .contains(
            "<p class=\"note\" id=\"capped\">The service, label and duration filters read only"
                + " the 10 newest of the 30 traces in the time range; set since or until to look"
                + " at older ones.</p>");
    assertThat(ids(ok("/?service=old&until=2025-03-14T09:26:57"))).hasSize(5);
    assertThat(ok("/?service=old&until=2025-03-14T09:26:57")).doesNotContain("capped");
    // without such a filter every trace is listed
    assertThat(count(ok("/"))).isEqualTo("Showing 1\u201330 of 30 traces");
    assertThat(ok("/stats"))
        .contains("Only the 10 newest of the 30 traces in the time range were read")
        .contains("Stats over 10 traces, 10 spans");
  }

  @Test
  void theTracePageIsTheHtmlViewWithACriticalPathAndADiffPicker() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    HttpResponse<String> r = get("/trace/" + Bottlenecks.QUEUES_ID);

    assertThat(r.statusCode()).isEqualTo(200);
    String page = r.body();
    Matcher meta =
        Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")
            .matcher(page);
    assertThat(meta.find()).isTrue();
    assertThat(meta.group(1))
        .startsWith("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(meta.group(1) + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    assertThat(Pattern.compile("<summary class=\"grid cp\">").matcher(page).results().count())
        .isEqualTo(8);
    assertThat(page)
        .contains("<input type=\"hidden\" name=\"a\" value=\"" + Bottlenecks.QUEUES_ID + "\">")
        .contains("<a id=\"pick-b\" href=\"/?a=" + Bottlenecks.QUEUES_ID + "\">");
    // The page is the CLI's, with the bar added at the top of its body.
    String cli = Views.html(Bottlenecks.QUEUES_ID, Bottlenecks.queues().raw());
    int nav = page.indexOf("<style>\nnav.ui");
    int header = page.indexOf("<header>");
    assertThat(page.substring(0, nav) + page.substring(header)).isEqualTo(cli);
    // pick B: the list keeps A checked
    String pick = ok("/?a=" + Bottlenecks.QUEUES_ID);
    assertThat(pick)
        .contains(
            "<input type=\"radio\" name=\"a\" value=\"" + Bottlenecks.QUEUES_ID + "\" checked");
  }

  @Test
  void theStatsPageTakesTheFilters() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    String all = ok("/stats");
    assertThat(all)
        .contains("<title>Weft trace stats</title>")
        .contains("Stats over 6 traces, 31 spans");
    assertThat(all).contains("<a href=\"/trace/" + UiSamples.SLOWER_ID + "\">");
    String storage = ok("/stats?service=storage");
    assertThat(storage).contains("Stats over 3 traces, 7 spans");
    assertThat(ok("/stats?errors=1")).contains("Stats over 1 trace, 3 spans");
    assertThat(ok("/stats?min=20")).contains("Stats over 2 traces, 18 spans");
  }

  @Test
  void theDiffPageComparesTwoTraces() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    String page = ok("/diff?a=" + Bottlenecks.QUEUES_ID + "&b=" + UiSamples.SLOWER_ID);

    assertThat(page)
        .contains("<h1>Diff</h1>")
        .contains(
            "<p>Change: +8 ms (+40 %); 1 slower, 0 faster, 0 appeared, 0 disappeared, 8 the same</p>")
        .contains("<a id=\"trace-a\" href=\"/trace/" + Bottlenecks.QUEUES_ID + "\">")
        .contains("<a id=\"swap\" href=\"/diff?a=" + UiSamples.SLOWER_ID + "&amp;b=");
    assertThat(get("/diff?a=" + Bottlenecks.QUEUES_ID).statusCode()).isEqualTo(400);
    assertThat(get("/diff?a=" + Bottlenecks.QUEUES_ID + "&b=nope").statusCode()).isEqualTo(404);
  }

  @Test
  void storedTextIsEscapedAndIdsAreEncodedInLinks() throws Exception {
    String id = "x\"><script>alert(1)</script>&/é";
    new Bottlenecks.Trace(id, Bottlenecks.T0)
        .service("<b>svc</b>\u202e")
        .span("e", null, "wsgi<i>", 0, 1000)
        .writeTo(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    String list = ok("/");
    assertThat(list)
        .doesNotContain("<script", "<b>", "<i>", "\u202e")
        .contains(
            "<code class=\"id\">x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;/é</code>")
        .contains("<td class=\"l svc\">&lt;b&gt;svc&lt;/b&gt;\\u202e</td>")
        .contains(
            "href=\"/trace/x%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26%2F%C3%A9\">wsgi&lt;i&gt;");
    String trace = ok("/trace/x%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26%2F%C3%A9");
    assertThat(trace).contains("<h1>Trace <code>x&quot;&gt;&lt;script&gt;alert(1)");
    assertThat(ok("/?service=" + java.net.URLEncoder.encode("\"><x", StandardCharsets.UTF_8)))
        .contains("value=\"&quot;&gt;&lt;x\"");
  }

  @Test
  void aTraceThatCannotBeReadIsListedAsUnreadable() throws Exception {
    UiSamples.write(dir);
    Files.writeString(dir.resolve("broken.jsonl"), "not json\n");
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    String page = ok("/");
    assertThat(ids(page)).hasSize(7).endsWith("broken");
    assertThat(page)
        .contains(
            "<td class=\"ts\">-</td><td class=\"num dur\">-</td><td class=\"l\"><a"
                + " class=\"root\" href=\"/trace/broken\">(unreadable)</a>");
    assertThat(ids(ok("/?min=0"))).hasSize(6).doesNotContain("broken");
    assertThat(get("/trace/broken").statusCode()).isEqualTo(404);
    assertThat(ok("/stats")).contains("1 trace could not be read");
  }

  @Test
  void badRequestsAreRefusedPlainly() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    for (String bad :
        List.of(
            "/?page=0",
            "/?page=x",
            "/?min=abc",
            "/?min=-1",
            "/?since=yesterday",
            "/?until=2025-13-01",
            "/?errors=maybe",
            "/?colour=red",
            "/?service=a&service=b",
            "/stats?page=2",
            "/trace/" + Bottlenecks.QUEUES_ID + "?x=1")) {
      HttpResponse<String> r = get(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.body()).as(bad).startsWith("weft ui: ");
    }
    assertThat(raw("GET /?service=%zz HTTP/1.1")).startsWith("HTTP/1.1 400");
    assertThat(raw("GET /trace/%zz HTTP/1.1")).startsWith("HTTP/1.1 400");
    assertThat(get("/?min=abc").body())
        .isEqualTo("weft ui: min is a duration in milliseconds (such as 10 or 0.5), not 'abc'\n");
    assertThat(get("/?colour=red").body())
        .isEqualTo(
            "weft ui: unknown parameter 'colour'; this page takes a, b, errors, label, min, page,"
                + " service, since, until\n");
    for (String missing :
        List.of("/nope", "/trace/", "/trace/unknown", "/trace/a/b", "/stats/", "/favicon.ico")) {
      assertThat(get(missing).statusCode()).as(missing).isEqualTo(404);
    }
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void noIdReachesAFileOutsideTheStore() throws Exception {
    UiSamples.write(dir);
    Path secret = dir.getParent().resolve("secret.jsonl");
    Files.writeString(secret, Files.readString(dir.resolve(Bottlenecks.QUEUES_ID + ".jsonl")));
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    try {
      for (String p :
          List.of(
              "/trace/..%2Fsecret",
              "/trace/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
              "/trace/%2E%2E%2Fsecret",
              "/diff?a=..%2Fsecret&b=..%2Fsecret")) {
        assertThat(get(p).statusCode()).as(p).isEqualTo(404);
      }
      assertThat(raw("GET /trace/../../etc/passwd HTTP/1.1")).startsWith("HTTP/1.1 404");
      assertThat(raw("GET /trace/../secret HTTP/1.1")).startsWith("HTTP/1.1 404");
      assertThat(raw("GET /../../etc/passwd HTTP/1.1")).startsWith("HTTP/1.1 404");
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void onlyLoopbackHostsAreAnswered() throws Exception {
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);

    assertThat(raw("GET / HTTP/1.1", "Host: evil.example:" + ui.port())).startsWith("HTTP/1.1 403");
    assertThat(raw("GET / HTTP/1.1", "Host: localhost:" + ui.port())).startsWith("HTTP/1.1 200");
    assertThat(raw("GET / HTTP/1.1", "Host: 127.0.0.1")).startsWith("HTTP/1.1 200");
  }

  /** Sends a request as written (no normalisation of the path) and returns the status line. */
  private String raw(String requestLine, String... headers) throws Exception {
    try (Socket s = new Socket("127.0.0.1", ui.port())) {
      StringBuilder req = new StringBuilder(requestLine).append("\r\n");
      if (headers.length == 0) {
        req.append("Host: 127.0.0.1:").append(ui.port()).append("\r\n");
      }
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream o = s.getOutputStream();
      o.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      o.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      return in.readLine();
    }
  }

  @Test
  void theCommandPrintsItsAddressAndServesUntilStopped() throws Exception {
    UiSamples.write(dir);
    Path store = dir;
    for (String bind : List.of("", "0.0.0.0")) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      cmd.addAll(List.of("ui", "--port", "0", "--connection-string", "file://" + store));
      if (!bind.isEmpty()) {
        cmd.addAll(List.of("--bind", bind));
      }
      Path err = Files.createTempFile(dir.getParent(), "weft-ui", ".err");
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m =
            Pattern.compile("weft ui: http://(127\\.0\\.0\\.1|0\\.0\\.0\\.0):(\\d+)/")
                .matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        int port = Integer.parseInt(m.group(2));
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ids(r.body())).hasSize(6);
        assertThat(Files.readString(err))
            .isEqualTo(
                bind.isEmpty()
                    ? ""
                    : "weft ui: listening on 0.0.0.0, not a loopback address: whoever can reach"
                        + " it can read every stored trace\n");
      } finally {
        p.destroy();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Files.delete(err);
      }
    }
  }

  @Test
  void aPortInUseIsReported() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      CliRunner.Result r =
          CliRunner.run(
              "ui", "--port", "" + taken.getLocalPort(), "--connection-string", "file://" + dir);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).startsWith("weft: cannot listen on 127.0.0.1:" + taken.getLocalPort());
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void theCommandRefusesBadOptions() {
    CliRunner.Result r = CliRunner.run("ui", "--port", "70000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--port must be from 0 to 65535");
    CliRunner.Result help = CliRunner.run("ui", "--help");
    assertThat(help.exitCode()).isEqualTo(0);
    assertThat(help.out()).contains("127.0.0.1 only, unless --bind").contains("--port");
  }
}
