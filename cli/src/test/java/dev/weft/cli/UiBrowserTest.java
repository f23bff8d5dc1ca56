package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.cli.internal.Ui;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code weft ui} in a browser: Debian's headless Chromium driven through Selenium and Debian's
 * chromedriver (nothing is downloaded), over the store of {@link UiSamples}: the list, a filter, a
 * trace with its critical path, the stats page and a diff of two traces picked in the list. With
 * {@code -Dweft.screenshots=DIR} (relative to the repository) the pages are saved as {@code
 * DIR/ui-list.png}, {@code ui-trace.png}, {@code ui-stats.png} and {@code ui-diff.png}. Skipped,
 * saying why, where the browser or the driver is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserTest {
  Path dir;
  Ui ui;
  WebDriver browser;

  @BeforeEach
  void requireBrowser() {
    assumeTrue(AnalysisBrowserTest.skipReason() == null, AnalysisBrowserTest.skipReason());
  }

  @BeforeAll
  void start() throws Exception {
    if (AnalysisBrowserTest.skipReason() != null) {
      return; // each test reports itself skipped
    }
    dir = Files.createTempDirectory("weft-ui-browser");
    UiSamples.write(dir);
    ui = UiSamples.start(dir, Ui.SCAN_CAP);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(AnalysisBrowserTest.CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
        "--user-data-dir=" + Files.createTempDirectory("weft-cli-chromium"));
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(AnalysisBrowserTest.CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ui != null) {
      ui.close();
    }
  }

  private void screenshot(String name) throws Exception {
    String to = System.getProperty("weft.screenshots");
    if (to != null && !to.isBlank()) {
      Path png = Path.of(System.getProperty("weft.repo.dir", "..")).resolve(to).resolve(name);
      Files.createDirectories(png.toAbsolutePath().getParent());
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, png, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("wrote " + png.normalize() + " (" + Files.size(png) + " bytes)");
    }
  }

  /**
   * Clicks something that loads a page, and waits until the new page has loaded: a mark set on the
   * old page's window is gone and the document is complete. (Polling an element of the old page for
   * staleness raced Chromium, which may answer "node does not belong to the document" instead.)
   */
  private void go(WebElement target) throws InterruptedException {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("window.weftBeforeClick = true");
    target.click();
    long end = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try {
        Object loaded =
            js.executeScript(
                "return window.weftBeforeClick === undefined"
                    + " && document.readyState === 'complete'");
        if (Boolean.TRUE.equals(loaded)) {
          return;
        }
      } catch (WebDriverException navigating) {
        // the old page went away during the call: ask the new one
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no page loaded after the click, at " + browser.getCurrentUrl());
      }
      Thread.sleep(20);
    }
  }

  /** Asserts the page loaded nothing besides itself (no style, script, image or fetch). */
  private void loadedNothingElse() {
    Object n =
        ((JavascriptExecutor) browser)
            .executeScript("return performance.getEntriesByType('resource').length");
    assertThat(n).as(browser.getCurrentUrl()).isEqualTo(0L);
  }

  private List<String> listedIds() {
    return browser.findElements(By.cssSelector("table.traces code.id")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private String count() {
    return browser.findElement(By.id("count")).getText();
  }

  private void filter(String field, String value) {
    WebElement in = browser.findElement(By.cssSelector("#filters input[name=" + field + "]"));
    in.clear();
    in.sendKeys(value);
  }

  private void submitFilters() throws InterruptedException {
    go(browser.findElement(By.cssSelector("#filters button[type=submit]")));
  }

  @Test
  void browseFilterOpenATraceStatsAndDiff() throws Exception {
    // The list, newest first.
    browser.get(ui.url());
    assertThat(browser.getTitle()).isEqualTo("Weft traces");
    assertThat(count()).isEqualTo("Showing 1\u20136 of 6 traces");
    assertThat(listedIds())
        .containsExactly(UiSamples.SLOWER_ID, "t4", "t3", "t2", "t1", Bottlenecks.QUEUES_ID);
    List<WebElement> rows = browser.findElements(By.cssSelector("table.traces tr.trace"));
    assertThat(rows.get(0).getText())
        .contains("2025-03-14T09:31:53.000000", "28 ms", "wsgi GET /v2/queues/demo-1/messages")
        .contains("queues-api, storage");
    WebElement error = browser.findElement(By.cssSelector("tr.trace.err"));
    assertThat(error.findElement(By.className("errors")).getText()).isEqualTo("1 error");
    assertThat(error.findElement(By.className("errors")).getCssValue("color"))
        .isEqualTo("rgba(207, 34, 46, 1)");
    loadedNothingElse();
    screenshot("ui-list.png");

    // Errors only.
    browser.findElement(By.cssSelector("#filters input[name=errors]")).click();
    submitFilters();
    assertThat(browser.getCurrentUrl()).contains("errors=1");
    assertThat(listedIds()).containsExactly("t4");
    assertThat(count()).isEqualTo("Showing 1\u20131 of 1 trace");

    // A service and a minimum duration instead.
    browser.findElement(By.cssSelector("#filters input[name=errors]")).click();
    filter("service", "storage");
    submitFilters();
    assertThat(listedIds()).containsExactly(UiSamples.SLOWER_ID, "t3", Bottlenecks.QUEUES_ID);
    filter("min", "10");
    submitFilters();
    assertThat(listedIds()).containsExactly(UiSamples.SLOWER_ID, Bottlenecks.QUEUES_ID);
    assertThat(
            browser
                .findElement(By.cssSelector("#filters input[name=service]"))
                .getAttribute("value"))
        .isEqualTo("storage");

    // Open a trace: the waterfall, its script running under the page's policy, the path marked.
    go(browser.findElement(By.linkText("Clear")));
    go(browser.findElement(By.cssSelector("a.root[href='/trace/" + Bottlenecks.QUEUES_ID + "']")));
    assertThat(browser.getTitle()).isEqualTo("Weft trace " + Bottlenecks.QUEUES_ID);
    assertThat(browser.findElement(By.tagName("html")).getAttribute("class")).isEqualTo("js");
    assertThat(browser.findElements(By.cssSelector("details.span > summary"))).hasSize(9);
    List<WebElement> critical = browser.findElements(By.cssSelector("summary.cp"));
    assertThat(critical).hasSize(8);
    assertThat(critical.get(0).getCssValue("box-shadow"))
        .isEqualTo("rgb(191, 57, 137) 4px 0px 0px 0px inset");
    assertThat(browser.findElement(By.className("share-cp")).getText())
        .startsWith("Critical path 20 ms: SQL 25 % \u00b7 Redis 2 % \u00b7 MongoDB 50 %");
    loadedNothingElse();
    screenshot("ui-trace.png");

    // Stats.
    go(browser.findElement(By.id("nav-stats")));
    assertThat(browser.getTitle()).isEqualTo("Weft trace stats");
    assertThat(browser.findElement(By.cssSelector("header p")).getText())
        .startsWith("Stats over 6 traces, 31 spans");
    assertThat(browser.findElements(By.cssSelector("table.labels tr"))).hasSize(11);
    assertThat(browser.findElements(By.cssSelector("svg.chart rect"))).hasSize(10);
    assertThat(browser.findElements(By.cssSelector("table.slowest tr"))).hasSize(7);
    assertThat(browser.findElement(By.cssSelector("table.slowest td a")).getText())
        .isEqualTo(UiSamples.SLOWER_ID);
    loadedNothingElse();
    screenshot("ui-stats.png");
    filter("service", "storage");
    submitFilters();
    assertThat(browser.findElement(By.cssSelector("header p")).getText())
        .startsWith("Stats over 3 traces, 7 spans");

    // Diff: pick A and B in the list.
    go(browser.findElement(By.id("nav-list")));
    browser
        .findElement(By.cssSelector("input[name=a][value='" + Bottlenecks.QUEUES_ID + "']"))
        .click();
    browser
        .findElement(By.cssSelector("input[name=b][value='" + UiSamples.SLOWER_ID + "']"))
        .click();
    go(browser.findElement(By.cssSelector("form.pick button[type=submit]")));
    assertThat(browser.getTitle())
        .isEqualTo("Weft diff " + Bottlenecks.QUEUES_ID + " \u2192 " + UiSamples.SLOWER_ID);
    assertThat(browser.findElements(By.cssSelector("header p")).get(2).getText())
        .isEqualTo(
            "Change: +8 ms (+40 %); 1 slower, 0 faster, 0 appeared, 0 disappeared, 8 the same");
    List<WebElement> diffRows = browser.findElements(By.cssSelector("table.diff tr"));
    assertThat(diffRows).hasSize(10);
    assertThat(diffRows.get(1).getText())
        .startsWith("slower 10 ms 20 ms +10 ms +100 %")
        .endsWith("mongodb find messages");
    loadedNothingElse();
    screenshot("ui-diff.png");

    // From a trace page, pick the other trace in the list.
    go(browser.findElement(By.id("trace-a")));
    go(browser.findElement(By.id("pick-b")));
    assertThat(browser.getTitle()).isEqualTo("Weft traces");
    WebElement picked =
        browser.findElement(
            By.cssSelector("input[type=radio][name=a][value='" + Bottlenecks.QUEUES_ID + "']"));
    assertThat(picked.isSelected()).isTrue();
  }
}
