package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The critical path, the share header and the stats chart as a browser renders them: Debian's
 * headless Chromium driven through Selenium and Debian's chromedriver (both installed by {@code
 * .ci/install-chromium}; nothing is downloaded). With {@code -Dweft.screenshots=DIR} (relative to
 * the repository) the pages are also saved as {@code DIR/trace-critical-path.png} and {@code
 * DIR/trace-stats.png}. Skipped, saying why, where the browser or the driver is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;
  WebDriver browser;

  static String skipReason() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      return "skipped: /usr/bin/chromium or /usr/bin/chromedriver is not installed (run"
          + " .ci/install-chromium)";
    }
    return null;
  }

  @BeforeEach
  void requireBrowser() {
    assumeTrue(skipReason() == null, skipReason());
  }

  @BeforeAll
  void start() throws Exception {
    if (skipReason() != null) {
      return; // each test reports itself skipped
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
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
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  private Path page(String name, String... args) {
    Path out = dir.resolve(name);
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("-c", "file://" + dir, "-o", out.toString()));
    assertThat(CliRunner.run(all.toArray(new String[0])).exitCode()).isEqualTo(0);
    return out;
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

  @Test
  void theCriticalPathIsHighlightedAndTheSharesAreShown() throws Exception {
    Bottlenecks.queues().writeTo(dir);
    Path html = page("trace.html", "trace", "show", Bottlenecks.QUEUES_ID, "--html");

    browser.get(html.toUri().toString());

    // The page's own script ran (its CSP hash matches).
    assertThat(browser.findElement(By.tagName("html")).getAttribute("class")).isEqualTo("js");
    List<WebElement> rows = browser.findElements(By.cssSelector("details.span > summary"));
    assertThat(rows).hasSize(9);
    List<WebElement> critical = browser.findElements(By.cssSelector("summary.cp"));
    assertThat(critical).hasSize(8);
    for (WebElement row : rows) {
      boolean cp = row.getAttribute("class").contains("cp");
      String name = row.findElement(By.className("name")).getText();
      // A critical row has the path's colour on its left edge and around its bar.
      assertThat(row.getCssValue("box-shadow"))
          .as(name)
          .isEqualTo(cp ? "rgb(191, 57, 137) 4px 0px 0px 0px inset" : "none");
      assertThat(row.findElement(By.className("bar")).getCssValue("outline-style"))
          .as(name)
          .isEqualTo(cp ? "solid" : "none");
      assertThat(cp).as(name).isEqualTo(!name.endsWith("audit_log AuditLog.record"));
    }
    assertThat(browser.findElement(By.className("share-self")).getText())
        .isEqualTo(
            "Self time 20.8 ms: SQL 24 % · Redis 2 % · MongoDB 48 % · pool wait <1 % · HTTP out"
                + " 7 % · entry 15 % · app 4 %");
    // (the legend may wrap to a line of its own)
    assertThat(browser.findElement(By.className("share-cp")).getText().replace('\n', ' '))
        .isEqualTo(
            "Critical path 20 ms: SQL 25 % · Redis 2 % · MongoDB 50 % · pool wait <1 % · HTTP"
                + " out 8 % · entry 15 % spans on the critical path");
    WebElement legend = browser.findElement(By.className("legend"));
    assertThat(legend.isDisplayed()).isTrue();
    assertThat(legend.findElement(By.className("cpkey")).getCssValue("background-color"))
        .isEqualTo("rgba(191, 57, 137, 1)");
    // The stacked bars: one part per category with time, each drawn.
    List<WebElement> self = browser.findElements(By.cssSelector(".share-self + .stack span"));
    List<WebElement> path = browser.findElements(By.cssSelector(".share-cp + .stack span"));
    assertThat(self).hasSize(7);
    assertThat(path).hasSize(6);
    for (WebElement part : self) {
      assertThat(part.getSize().getWidth()).isPositive();
    }
    screenshot("trace-critical-path.png");
  }

  @Test
  void theStatsPageDrawsItsChart() throws Exception {
    StatsTest.trace(1, 2000, 1000).writeTo(dir);
    StatsTest.trace(2, 5000, 4000).writeTo(dir);
    StatsTest.trace(3, 3000, 1500).writeTo(dir);
    StatsTest.trace(4, 1000, 500).writeTo(dir);
    Path html = page("stats.html", "trace", "stats", "--html");

    browser.get(html.toUri().toString());

    assertThat(browser.getTitle()).isEqualTo("Weft trace stats");
    List<WebElement> bars = browser.findElements(By.cssSelector("svg.chart rect"));
    assertThat(bars).hasSize(4);
    int previous = Integer.MAX_VALUE;
    for (WebElement bar : bars) {
      int w = bar.getSize().getWidth();
      assertThat(w).isPositive().isLessThanOrEqualTo(previous); // most self time first
      previous = w;
    }
    assertThat(browser.findElement(By.cssSelector("svg.chart")).getText())
        .contains("db SELECT queues", "7 ms", "mongodb find messages", "0.8 ms");
    assertThat(browser.findElements(By.cssSelector("table.labels tr"))).hasSize(5);
    screenshot("trace-stats.png");
  }
}
