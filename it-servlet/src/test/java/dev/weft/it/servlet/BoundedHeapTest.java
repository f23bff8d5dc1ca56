package dev.weft.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TraceHeaders;
import dev.weft.Weft;
import dev.weft.WeftMXBean;
import dev.weft.it.servlet.harness.JettyApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The collector is down (redis:// to a closed port) and every request is signed, with a
 * 7,000-character path, in a JVM of 64 MB: the queue stays within its byte budget (1 MiB here) and
 * the heap under 56 MB after GC (what the queued paths alone would take unbounded), no request
 * fails, and what could not be queued or stored is counted as dropped.
 */
class BoundedHeapTest {
  static final int REQUESTS = 4000;

  /** A byte budget small enough that this run reaches it (the default is 8 MiB). */
  static final long BUDGET = 1024 * 1024;

  /** The child JVM: serves and sends the requests, then prints what it measured. */
  public static void main(String[] args) throws Exception {
    Weft.set("weft.connection_string", "redis://127.0.0.1:1");
    Weft.set("weft.hmac_keys", "heap-key");
    Weft.set("weft.max_traces_per_second", "0");
    Weft.set("weft.queue.max_bytes", Long.toString(BUDGET));
    Weft.set("weft.enabled", "true");
    HttpClient client = HttpClient.newHttpClient();
    String path = "/long/" + "p".repeat(7_000);
    int failed = 0;
    long maxQueueBytes = 0;
    try (JettyApp app = JettyApp.start("heap", 16)) {
      for (int i = 0; i < REQUESTS; i++) {
        String base = UUID.randomUUID().toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url(path)));
        for (Map.Entry<String, String> h : TraceHeaders.sign(base, base, "heap-key").entrySet()) {
          b.header(h.getKey(), h.getValue());
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().startsWith("traced=" + base)) {
          failed++;
        }
        if (i % 100 == 0) {
          maxQueueBytes = Math.max(maxQueueBytes, queueBytes());
        }
      }
    }
    System.gc();
    long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    WeftMXBean weft = Weft.management();
    System.out.println("failed=" + failed);
    System.out.println("started=" + weft.getTracesStarted());
    System.out.println("maxQueueBytes=" + maxQueueBytes);
    System.out.println("heapAfterGcMb=" + heapAfterGc / (1024 * 1024));
    System.out.println("droppedQueueFull=" + weft.getSpansDroppedQueueFull());
    System.out.println("droppedCollector=" + weft.getSpansDroppedCollectorError());
  }

  private static long queueBytes() {
    return Weft.management().getQueueBytes();
  }

  @Test
  void aDownCollectorAndLongPaths_keepTheHeapBounded_andNoRequestFails() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String agent =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-javaagent:"))
            .findFirst()
            .orElseThrow();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx64m",
                    agent,
                    "-cp",
                    System.getProperty("java.class.path"),
                    BoundedHeapTest.class.getName()))
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    Map<String, String> m = new java.util.HashMap<>();
    for (String line : text.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertThat(m.get("failed")).as(text).isEqualTo("0");
    assertThat(Long.parseLong(m.get("started"))).isEqualTo(REQUESTS);
    Files.writeString(Path.of("target/bounded-heap.txt"), text);
    assertThat(Long.parseLong(m.get("maxQueueBytes"))).isLessThanOrEqualTo(BUDGET);
    // unbounded, the queued 7,000-character paths alone would be 4,000 × 14 KB = 56 MB
    assertThat(Long.parseLong(m.get("heapAfterGcMb"))).isLessThan(56);
    // the budget refused spans, and the collector (down) lost the ones it was given
    assertThat(Long.parseLong(m.get("droppedQueueFull"))).isPositive();
    assertThat(Long.parseLong(m.get("droppedCollector"))).isPositive();
  }
}
