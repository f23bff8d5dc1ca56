package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the HTML view in Debian's headless Chromium and reads back the DOM it built. */
class HtmlBrowserTest {
  @TempDir Path dir;

  private static void requireChromium() {
    assumeTrue(
        Chromium.installed(),
        "skipped: /usr/bin/chromium is not installed (run .ci/install-chromium)");
  }

  @Test
  void browserShowsEverySpanOfAFourLevelTrace() throws Exception {
    requireChromium();
    SampleTraces.shop().writeTo(dir);
    Path html = dir.resolve("trace.html");
    assertThat(
            CliRunner.run(
                    "trace",
                    "show",
                    SampleTraces.SHOP_ID,
                    "-c",
                    "file://" + dir,
                    "--html",
                    "-o",
                    html.toString())
                .exitCode())
        .isEqualTo(0);

    String dom = Chromium.dumpDom(html);

    assertThat(dom).contains("<title>Weft trace " + SampleTraces.SHOP_ID + "</title>");
    Matcher m =
        Pattern.compile("<span class=\"name\"[^>]*>(?:<span class=\"guide\">[^<]*</span>)?([^<]+)")
            .matcher(dom);
    java.util.List<String> names = new java.util.ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).isEqualTo(SampleTraces.SHOP_NAMES);
    // The page's script ran (its CSP hash matches): it marks the document, showing the buttons.
    assertThat(dom).contains("<html lang=\"en\" class=\"js\">");
    assertThat(dom).contains("id=\"span-b0000000-0000-4000-8000-000000000004\" open=\"\"");
  }

  @Test
  void injectedScriptDoesNotRunInTheBrowser() throws Exception {
    requireChromium();
    new SampleTraces.Builder("xss")
        .span(
            "s1",
            "xss",
            HtmlViewTest.XSS_NAME,
            HtmlViewTest.XSS_VALUE,
            "h",
            0,
            2000,
            SampleTraces.map("function", SampleTraces.map("name", HtmlViewTest.XSS_NAME)),
            SampleTraces.map("etype", "E", "message", HtmlViewTest.XSS_VALUE))
        .writeTo(dir);
    Path html = dir.resolve("xss.html");
    assertThat(
            CliRunner.run(
                    "trace", "show", "xss", "-c", "file://" + dir, "--html", "-o", html.toString())
                .exitCode())
        .isEqualTo(0);

    String dom = Chromium.dumpDom(html);

    assertThat(dom).contains("<title>Weft trace xss</title>").doesNotContain("pwned</title>");
    assertThat(dom).doesNotContain("<img");
    assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
  }
}
