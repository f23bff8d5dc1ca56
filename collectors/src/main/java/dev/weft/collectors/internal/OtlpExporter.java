package dev.weft.collectors.internal;

import dev.weft.collectors.WeftCollectorFactory;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code otlp://host:port} (or {@code otlps://} for HTTPS): exports each batch's spans with
 * OpenTelemetry's {@link OtlpHttpSpanExporter} (OTLP/HTTP, protobuf) to {@code
 * http://host:port/v1/traces}; a path in the connection string replaces {@code /v1/traces}. Ids,
 * kinds and attributes: {@link OtlpMapping}.
 *
 * <p>The exporter's own retries are off: a failed export throws, and Weft's pipeline counts the
 * spans as dropped and backs off. Connect and call timeouts are {@value
 * WeftCollectorFactory#TIMEOUT_MILLIS} ms.
 */
public final class OtlpExporter implements Collector {
  private final OtlpHttpSpanExporter exporter;
  private final OtlpMapping mapping = new OtlpMapping();
  private final String endpoint;

  private OtlpExporter(String endpoint, Map<String, String> headers, String certificate) {
    this.endpoint = endpoint;
    Duration t = Duration.ofMillis(WeftCollectorFactory.TIMEOUT_MILLIS);
    OtlpHttpSpanExporterBuilder b =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint)
            .setTimeout(t)
            .setConnectTimeout(t)
            .setRetryPolicy(null);
    headers.forEach(b::addHeader);
    if (certificate != null && !certificate.isBlank()) {
      try {
        b.setTrustedCertificates(Files.readAllBytes(Path.of(certificate.trim())));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read weft.otlp.certificate " + certificate + ": " + e, e);
      }
    }
    this.exporter = b.build();
  }

  /**
   * The exporter for {@code otlp://} or {@code otlps://}, with the headers of {@code
   * weft.otlp.headers} and the trust anchors of {@code weft.otlp.certificate}.
   */
  public static Collector collector(String connectionString, Map<String, String> settings) {
    return new OtlpExporter(
        endpoint(connectionString),
        headers(settings.getOrDefault("weft.otlp.headers", "")),
        settings.get("weft.otlp.certificate"));
  }

  /**
   * {@code weft.otlp.headers} in the form of OpenTelemetry's {@code OTEL_EXPORTER_OTLP_HEADERS}:
   * comma-separated {@code name=value} pairs, values percent-decoded ({@code
   * Authorization=Bearer%20abc,x-api-key=k}). A pair without {@code =} or with an empty name is
   * refused; the message never repeats a value.
   */
  public static Map<String, String> headers(String spec) {
    return headers("weft.otlp.headers", spec);
  }

  /**
   * Headers in the form of {@link #headers(String)}, read from the setting named {@code key} (which
   * error messages name).
   */
  public static Map<String, String> headers(String key, String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return m;
    }
    int n = 0;
    for (String pair : spec.split(",")) {
      n++;
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? "" : pair.substring(0, eq).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            key + ": pair " + n + " is not name=value (values are not shown)");
      }
      String value;
      try {
        value = URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            key + ": the value of " + name + " is not percent-encoded correctly");
      }
      m.put(name, value);
    }
    return m;
  }

  /**
   * {@code otlp://host:port[/path]} to the OTLP/HTTP traces URL ({@code http://}); {@code otlps://}
   * to {@code https://} (default port 443), the server's certificate and host name verified.
   */
  public static String endpoint(String cs) {
    return Tls.httpEndpoint(cs, "OTLP", "otlps", 4318, "/v1/traces");
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
