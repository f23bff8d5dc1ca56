package dev.weft.collectors.internal;

import dev.weft.collectors.WeftCollectorFactory;
import dev.weft.spi.Collector;
import dev.weft.spi.ConnectionStrings;
import dev.weft.spi.Event;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code otlp://host:port}: exports each batch's spans with OpenTelemetry's {@link
 * OtlpHttpSpanExporter} (OTLP/HTTP, protobuf) to {@code http://host:port/v1/traces}; a path in the
 * connection string replaces {@code /v1/traces}. Ids, kinds and attributes: {@link OtlpMapping}.
 *
 * <p>The exporter's own retries are off: a failed export throws, and Weft's pipeline counts the
 * spans as dropped and backs off. Connect and call timeouts are {@value
 * WeftCollectorFactory#TIMEOUT_MILLIS} ms.
 */
public final class OtlpExporter implements Collector {
  private final OtlpHttpSpanExporter exporter;
  private final OtlpMapping mapping = new OtlpMapping();
  private final String endpoint;

  private OtlpExporter(String endpoint) {
    this.endpoint = endpoint;
    Duration t = Duration.ofMillis(WeftCollectorFactory.TIMEOUT_MILLIS);
    this.exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint)
            .setTimeout(t)
            .setConnectTimeout(t)
            .setRetryPolicy(null)
            .build();
  }

  public static Collector collector(String connectionString) {
    return new OtlpExporter(endpoint(connectionString));
  }

  /** {@code otlp://host:port[/path]} to the OTLP/HTTP traces URL. */
  public static String endpoint(String cs) {
    URI uri;
    try {
      uri = URI.create(cs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad OTLP connection string: " + ConnectionStrings.redact(cs));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "OTLP connection string needs otlp://host:port: " + ConnectionStrings.redact(cs));
    }
    int port = uri.getPort() < 0 ? 4318 : uri.getPort();
    String path =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/v1/traces" : uri.getRawPath();
    String host =
        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]"
            : uri.getHost();
    return "http://" + host + ":" + port + path;
  }

  @Override
  public void store(List<Event> batch) throws IOException {
    List<SpanData> spans = mapping.spans(batch);
    if (spans.isEmpty()) {
      return;
    }
    CompletableResultCode result = exporter.export(spans);
    result.join(WeftCollectorFactory.TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      throw new IOException("OTLP export to " + endpoint + " timed out");
    }
    if (!result.isSuccess()) {
      Throwable cause = result.getFailureThrowable();
      throw new IOException(
          "OTLP export to " + endpoint + " failed" + (cause == null ? "" : ": " + cause), cause);
    }
  }

  @Override
  public void close() {
    exporter.shutdown().join(WeftCollectorFactory.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}
