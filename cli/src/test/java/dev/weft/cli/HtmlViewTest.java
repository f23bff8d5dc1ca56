package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlViewTest {
  @TempDir Path dir;

  static final String XSS_NAME = "<script>document.title='pwned'</script>";
  static final String XSS_VALUE = "\"><img src=x onerror=\"document.title='pwned'\">";

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void selfContainedPageWithEverySpanAndNoNetworkReference() throws Exception {
    SampleTraces.shop().writeTo(dir);
    Path out = dir.resolve("trace.html");

    CliRunner.Result r =
        CliRunner.run(
            "trace",
            "show",
            SampleTraces.SHOP_ID,
            "-c",
            "file://" + dir,
            "--html",
            "-o",
            out.toString());

    assertThat(r.exitCode()).isEqualTo(0);
    String html = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>\n").endsWith("</html>\n");
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
    assertThat(html).doesNotContainPattern("(?i)<link|@import|url\\(|src=");
    // One row (a details element) per span, in report order, each named.
    Matcher m =
        Pattern.compile("title=\"([^\"]*)\">(?:<span class=\"guide\">[^<]*</span>)?").matcher(html);
    java.util.List<String> names = new java.util.ArrayList<>();
    while (m.find()) {
      if (!m.group(1).contains(" \u00b7 ")) {
        names.add(m.group(1));
      }
    }
    assertThat(names).isEqualTo(SampleTraces.SHOP_NAMES);
    assertThat(count(html, "<details class=\"span")).isEqualTo(15);
    // Only the failed span is red, open, and shows its error type and message.
    assertThat(count(html, " err\"")).isEqualTo(1);
    assertThat(html)
        .contains(
            "<details class=\"span c1 err\" id=\"span-b0000000-0000-4000-8000-000000000004\" open>")
        .contains("<span class=\"etype\">JdbcSQLIntegrityConstraintViolationException</span>")
        .contains(
            "<p class=\"error\">JdbcSQLIntegrityConstraintViolationException: Unique index or"
                + " primary key violation: &quot;PRIMARY KEY ON"
                + " PUBLIC.DELIVERIES(MESSAGE_ID)&quot;</p>");
    // The bar of the subscriber's wsgi span: starts at 28.41/52.31, lasts 20.41/52.31.
    assertThat(html).contains("<span class=\"bar\" style=\"left:54.311%;width:39.017%\">");
    assertThat(html)
        .contains(
            "<span class=\"dur\">20.41 ms</span>",
            "<dt>parent_id</dt><dd>a0000000-0000-4000-8000-00000000000b</dd>",
            "&quot;statement&quot;: &quot;INSERT INTO deliveries (message_id, endpoint) VALUES"
                + " (?, ?)&quot;");
  }

  @Test
  void storedValuesCannotInjectMarkupOrScript() throws Exception {
    new SampleTraces.Builder("xss")
        .span(
            "s1",
            "xss",
            XSS_NAME,
            XSS_VALUE,
            "h<b>",
            0,
            2000,
            SampleTraces.map(
                "function", SampleTraces.map("name", "</pre><script>alert(1)</script>")),
            SampleTraces.map("etype", "<i>E</i>", "message", "</p><script>alert(2)</script>"))
        .writeTo(dir);

    CliRunner.Result r = CliRunner.run("trace", "show", "xss", "-c", "file://" + dir, "--html");

    assertThat(r.exitCode()).isEqualTo(0);
    String html = r.out();
    // The page's own script is the only one, and the CSP allows only it, by hash.
    assertThat(count(html, "<script")).isEqualTo(1);
    assertThat(html).contains("script-src 'sha256-");
    assertThat(html).doesNotContain("<img", "<b>", "<i>", "alert(1)</script>", "onerror=\"");
    assertThat(html)
        .contains(
            "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;",
            "&quot;&gt;&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;",
            "h&lt;b&gt;",
            "<span class=\"etype\">&lt;i&gt;E&lt;/i&gt;</span>",
            "&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
            "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  }
}
