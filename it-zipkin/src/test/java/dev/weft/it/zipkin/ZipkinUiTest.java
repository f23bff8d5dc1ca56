package dev.weft.it.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Zipkin's own UI, in a real browser: Debian's headless Chromium driven through Selenium and
 * Debian's chromedriver (both installed by {@code .ci/install-chromium}) opens the trace page of
 * the three-service trace, {@code /zipkin/traces/{id}}, waits for it to render, and finds every
 * service and every span name on it. With {@code -Dweft.screenshots=DIR} (relative to the
 * repository) it also saves the page as {@code DIR/zipkin-trace.png}. Skipped, saying why, where
 * the browser, the driver or the Zipkin server jar is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinUiTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  ZipkinServer zipkin;
  MultiServiceTrace services;
  WebDriver browser;

  /** Why the test cannot run here, or null. */
  static String skipReason() {
    if (ZipkinServer.missing() != null) {
      return ZipkinServer.missing();
    }
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      return "skipped: /usr/bin/chromium or /usr/bin/chromedriver is not installed (run"
          + " .ci/install-chromium)";
    }
    return null;
  }

  @BeforeEach
  void requireBrowserAndZipkin() {
    assumeTrue(skipReason() == null, skipReason());
  }

  @BeforeAll
  void start() throws Exception {
    if (skipReason() != null) {
      return; // the test reports itself skipped
    }
    zipkin = ZipkinServer.start(ZipkinServer.freePort());
    services = new MultiServiceTrace();
    ZipkinTraceTest.configure(zipkin.connectionString());

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
        "--window-size=1440,1000",
        "--user-data-dir=" + Files.createTempDirectory("weft-zipkin-chromium"));
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    Weft.flush();
    Weft.resetRuntimeChanges();
    if (services != null) {
      services.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  void theTracePage_showsEveryServiceAndEverySpan() throws Exception {
    String base = services.post("orders");
    assertThat(Weft.flush()).isTrue();
    String traceId = base.replace("-", "");
    assertThat(ZipkinTraceTest.awaitTrace(zipkin, traceId, 14).size()).isEqualTo(14);

    browser.get(zipkin.baseUrl() + "/zipkin/traces/" + traceId);
    List<String> serviceNames =
        List.of(MultiServiceTrace.CLIENT, MultiServiceTrace.API, MultiServiceTrace.SUBSCRIBER);
    List<String> spans =
        List.of(
            "QueueClient.postMessages",
            "http",
            "wsgi",
            "catalog_lookup",
            "db",
            "pooling",
            "redis",
            "mongodb",
            "NotificationLog.record",
            "notification_validate");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(
            d -> {
              String text = d.findElement(By.tagName("body")).getText();
              return text.contains(MultiServiceTrace.SUBSCRIBER + ": notification_validate")
                  ? text
                  : null;
            });
    String text = browser.findElement(By.tagName("body")).getText();
    assertThat(browser.getTitle()).isEqualTo("Zipkin");
    assertThat(text).contains(traceId);
    for (String s : serviceNames) {
      assertThat(text).as("service %s on the page", s).contains(s);
    }
    for (String s : spans) {
      // Zipkin stores and shows span names in lower case
      assertThat(text).as("span %s on the page", s).contains(s.toLowerCase(Locale.ROOT));
    }
    // The header's counts: three services and their three peers, fourteen spans.
    assertThat(text).containsPattern("Services\\s+6").containsPattern("Total Spans\\s+14");
    // The timeline's rows, "service: span" (a client span with a named peer shows the peer).
    for (String row :
        List.of(
            "h2: db",
            "redis: redis",
            "mongodb: mongodb",
            "queue-client: queueclient.postmessages",
            "queue-client: http",
            "queue-api: wsgi",
            "queue-api: catalog_lookup",
            "queue-api: pooling",
            "queue-api: http",
            "webhook-subscriber: wsgi",
            "webhook-subscriber: notificationlog.record",
            "webhook-subscriber: notification_validate")) {
      assertThat(text).as("timeline row %s", row).contains(row);
    }

    String dir = System.getProperty("weft.screenshots");
    if (dir != null && !dir.isBlank()) {
      Path repo = Path.of(System.getProperty("weft.repo.dir", ".."));
      Path png = repo.resolve(dir).resolve("zipkin-trace.png").normalize();
      Files.createDirectories(png.getParent());
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, png, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("wrote " + png + " (" + Files.size(png) + " bytes)");
    }
  }
}
