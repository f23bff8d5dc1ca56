package dev.weft.collectors.internal;

import dev.weft.collectors.WeftCollectorFactory;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.okhttp3.OkHttpSender;

/**
 * {@code zipkin://host:port} (or {@code zipkins://} for HTTPS): exports each batch's spans with
 * OpenTelemetry's {@link ZipkinSpanExporter} (Zipkin's JSON v2, gzipped) to {@code
 * http://host:port/api/v2/spans}; a path in the connection string replaces {@code /api/v2/spans}.
 * The spans are those of {@link OtlpMapping} (the same ids, parents, kinds and attributes), and the
 * exporter turns them into Zipkin spans: {@code localEndpoint.serviceName} = the event's service,
 * attributes as tags, ERROR status as the {@code error} tag. Two things Zipkin has no other place
 * for are added here:
 *
 * <ul>
 *   <li>the resource's {@code host.name} (OSProfiler's info.host) and {@code service.namespace}
 *       (the project) as tags; no local IP address is sent (the host is the recorded one);
 *   <li>a {@code remoteEndpoint} on CLIENT spans, where the span knows its peer: {@code
 *       serviceName} = {@code db.system.name} (redis, mongodb, h2, postgresql, ...; not for the
 *       unknown {@code other_sql}) or else {@code server.address} when it is a host name; the
 *       address itself when it is an IP literal, and {@code server.port}.
 * </ul>
 *
 * <p>The sender is zipkin-reporter's OkHttp sender with OkHttp's own retry switched off: a failed
 * export throws, and Weft's pipeline counts the spans as dropped and backs off. Connect, read and
 * write timeouts are {@value WeftCollectorFactory#TIMEOUT_MILLIS} ms, a whole call at most twice
 * that. {@code zipkins://} verifies the server's certificate and host name (OkHttp's default), with
 * the trust anchors of {@code weft.zipkin.certificate} when set, and {@code weft.zipkin.headers}
 * are sent with every request.
 */
public final class ZipkinExporter implements Collector {
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> SERVICE_NAMESPACE = AttributeKey.stringKey("service.namespace");

  private final ZipkinSpanExporter exporter;
  private final RecordingSender sender;
  private final OtlpMapping mapping = new OtlpMapping();
  private final String endpoint;

  /** The status line of the last refused export (set on the collector thread). */
  private volatile String refusal;

  private ZipkinExporter(String endpoint, Map<String, String> headers, String certificate) {
    this.endpoint = endpoint;
    int t = WeftCollectorFactory.TIMEOUT_MILLIS;
    OkHttpSender.Builder b =
        OkHttpSender.newBuilder()
            .endpoint(endpoint)
            .encoding(Encoding.JSON)
            .compressionEnabled(true)
            .connectTimeout(t)
            .readTimeout(t)
            .writeTimeout(t);
    OkHttpClient.Builder client =
        b.clientBuilder()
            .retryOnConnectionFailure(false)
            .callTimeout(2L * t, TimeUnit.MILLISECONDS);
    client.addInterceptor(
        chain -> {
          okhttp3.Response r = chain.proceed(chain.request());
          if (!r.isSuccessful()) {
            refusal = "HTTP " + r.code() + (r.message().isEmpty() ? "" : " " + r.message());
          }
          return r;
        });
    if (!headers.isEmpty()) {
      client.addInterceptor(
          chain -> {
            Request.Builder r = chain.request().newBuilder();
            headers.forEach(r::header);
            return chain.proceed(r.build());
          });
    }
    if (certificate != null && !certificate.isBlank()) {
      X509TrustManager tm;
      try {
        tm = Tls.trustManager(certificate.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cannot read weft.zipkin.certificate " + certificate + ": " + e.getMessage(), e);
      }
      client.sslSocketFactory(Tls.context(tm).getSocketFactory(), tm);
    }
    this.sender = new RecordingSender(b.build());
    this.exporter =
        ZipkinSpanExporter.builder()
            .setSender(sender)
            .setEncoder(new RemoteEndpoints())
            .setLocalIpAddressSupplier(() -> (InetAddress) null)
            .setMeterProvider(MeterProvider.noop())
            .build();
  }

  /**
   * The exporter for {@code zipkin://} or {@code zipkins://}, with the headers of {@code
   * weft.zipkin.headers} and the trust anchors of {@code weft.zipkin.certificate}.
   */
  public static Collector collector(String connectionString, Map<String, String> settings) {
    return new ZipkinExporter(
        endpoint(connectionString),
        OtlpExporter.headers(
            "weft.zipkin.headers", settings.getOrDefault("weft.zipkin.headers", "")),
        settings.get("weft.zipkin.certificate"));
  }

  /**
   * {@code zipkin://host:port[/path]} to Zipkin's span intake URL ({@code http://}, default port
   * 9411, path {@code /api/v2/spans}); {@code zipkins://} to {@code https://} (default port 443).
   */
  public static String endpoint(String cs) {
    return Tls.httpEndpoint(cs, "Zipkin", "zipkins", 9411, "/api/v2/spans");
  }

  /** The spans of a batch as this exporter sends them (before the Zipkin conversion). */
  List<SpanData> spans(List<Event> batch) {
    List<SpanData> spans = mapping.spans(batch);
    List<SpanData> out = new ArrayList<>(spans.size());
    for (SpanData s : spans) {
      out.add(withResourceTags(s));
    }
    return out;
  }

  /** Zipkin has no resource: host and project become tags of each span. */
  private static SpanData withResourceTags(SpanData s) {
    Attributes resource = s.getResource().getAttributes();
    String host = resource.get(HOST_NAME);
    String project = resource.get(SERVICE_NAMESPACE);
    if (host == null && project == null) {
      return s;
    }
    AttributesBuilder a = s.getAttributes().toBuilder();
    if (host != null) {
      a.put(HOST_NAME, host);
    }
    if (project != null) {
      a.put(SERVICE_NAMESPACE, project);
    }
    return new OtlpSpan(
        s.getName(),
        s.getKind(),
        s.getSpanContext(),
        s.getParentSpanContext(),
        s.getStatus(),
        s.getStartEpochNanos(),
        s.getEndEpochNanos(),
        a.build(),
        s.getResource(),
        s.getInstrumentationScopeInfo());
  }

  @Override
  public void store(List<Event> batch) throws IOException {
    List<SpanData> spans = spans(batch);
    if (spans.isEmpty()) {
      return;
    }
    sender.failure = null;
    refusal = null;
    CompletableResultCode result = exporter.export(spans);
    result.join(WeftCollectorFactory.TIMEOUT_MILLIS * 3L, TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      throw new IOException("Zipkin export to " + endpoint + " timed out");
    }
    if (!result.isSuccess()) {
      Throwable cause = sender.failure;
      String status = refusal;
      throw new IOException(
          "Zipkin export to "
              + endpoint
              + " failed"
              + (status == null ? "" : ": " + status)
              + (cause == null || status != null ? "" : ": " + cause),
          cause);
    }
  }

  @Override
  public void close() {
    exporter.shutdown().join(WeftCollectorFactory.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  // ---- remote endpoints ----

  /** Zipkin's JSON v2, with a remote endpoint on CLIENT spans that know their peer. */
  static final class RemoteEndpoints implements BytesEncoder<Span> {
    @Override
    public Encoding encoding() {
      return Encoding.JSON;
    }

    @Override
    public int sizeInBytes(Span span) {
      return SpanBytesEncoder.JSON_V2.sizeInBytes(withRemote(span));
    }

    @Override
    public byte[] encode(Span span) {
      return SpanBytesEncoder.JSON_V2.encode(withRemote(span));
    }
  }

  /** The span with its remote endpoint, when it is a CLIENT span that has none yet. */
  static Span withRemote(Span span) {
    if (span.kind() != Span.Kind.CLIENT || span.remoteEndpoint() != null) {
      return span;
    }
    Endpoint remote = remote(span.tags());
    return remote == null ? span : span.toBuilder().remoteEndpoint(remote).build();
  }

  /** The peer of a CLIENT span from its tags, or null when it has none. */
  static Endpoint remote(Map<String, String> tags) {
    Endpoint.Builder e = Endpoint.newBuilder();
    boolean any = false;
    String system = tags.get(OtlpMapping.DB_SYSTEM_NAME.getKey());
    String address = tags.get(OtlpMapping.SERVER_ADDRESS.getKey());
    if (system != null && !system.isEmpty() && !system.equals("other_sql")) {
      e.serviceName(system.toLowerCase(Locale.ROOT));
      any = true;
    }
    if (address != null && !address.isEmpty()) {
      if (e.parseIp(address)) {
        any = true;
      } else if (system == null || system.equals("other_sql")) {
        e.serviceName(address.toLowerCase(Locale.ROOT));
        any = true;
      }
    }
    String port = tags.get(OtlpMapping.SERVER_PORT.getKey());
    if (any && port != null) {
      try {
        e.port(Integer.parseInt(port));
      } catch (NumberFormatException ignored) {
        // not a port: left out
      }
    }
    return any ? e.build() : null;
  }

  // ---- the sender ----

  /**
   * The OkHttp sender, keeping the last failure: the exporter only reports that a batch failed, and
   * the message Weft logs should say why.
   */
  static final class RecordingSender implements BytesMessageSender {
    private final BytesMessageSender delegate;
    volatile Throwable failure;

    RecordingSender(BytesMessageSender delegate) {
      this.delegate = delegate;
    }

    @Override
    public Encoding encoding() {
      return delegate.encoding();
    }

    @Override
    public int messageMaxBytes() {
      return delegate.messageMaxBytes();
    }

    @Override
    public int messageSizeInBytes(List<byte[]> encodedSpans) {
      return delegate.messageSizeInBytes(encodedSpans);
    }

    @Override
    public int messageSizeInBytes(int encodedSizeInBytes) {
      return delegate.messageSizeInBytes(encodedSizeInBytes);
    }

    @Override
    public void send(List<byte[]> encodedSpans) throws IOException {
      try {
        delegate.send(encodedSpans);
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
