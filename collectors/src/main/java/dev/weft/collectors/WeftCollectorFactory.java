package dev.weft.collectors;

import dev.weft.collectors.internal.Drivers;
import dev.weft.collectors.internal.MongoStore;
import dev.weft.collectors.internal.OtlpExporter;
import dev.weft.collectors.internal.RedisStore;
import dev.weft.collectors.internal.ZipkinExporter;
import dev.weft.spi.Collector;
import dev.weft.spi.CollectorFactory;
import dev.weft.spi.TraceReader;
import java.util.Locale;
import java.util.Map;

/**
 * The collectors of {@code weft-collectors}, found by {@link java.util.ServiceLoader} when the jar
 * is on the classpath. Set {@code weft.connection_string} to one of:
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host:port[/db]} (or {@code rediss://} for TLS, the
 *       server's certificate and host name verified; query options {@code ssl_ca_certs=FILE} and
 *       {@code ssl_check_hostname=false} as in redis-py): OSProfiler's Redis layout, {@code LPUSH
 *       osprofiler_opt:<base_id> <event json>} per event and, with {@code
 *       weft.filter_error_trace=true}, {@code SET osprofiler_error:<base_id>} for traces with an
 *       error. Needs {@code redis.clients:jedis}.
 *   <li>{@code redissentinel://[:password@]host:port[,host:port...][/db]}: the same layout in the
 *       master a Redis Sentinel names, OSProfiler's form ({@code ?sentinel_service_name=}, default
 *       {@code mymaster}; {@code ?socket_timeout=} seconds), following failovers.
 *   <li>{@code mongodb://...} (or {@code mongodb+srv://}; with {@code tls=true} the host name is
 *       verified unless {@code tlsAllowInvalidHostnames=true}, trust anchors from {@code
 *       tlsCAFile=FILE} as in pymongo): OSProfiler's MongoDB layout, database {@code osprofiler},
 *       collections {@code profiler} (one document per event) and {@code profiler_error}. Needs
 *       {@code org.mongodb:mongodb-driver-sync}.
 *   <li>{@code otlp://host:port}: spans exported over OTLP/HTTP (protobuf) to {@code
 *       http://host:port/v1/traces}, for Jaeger, Tempo or an OpenTelemetry Collector; {@code
 *       otlps://} over HTTPS, with {@code weft.otlp.headers} and {@code weft.otlp.certificate}.
 *       Needs {@code io.opentelemetry:opentelemetry-exporter-otlp}. Write-only.
 *   <li>{@code zipkin://host:port}: the same spans in Zipkin's JSON v2 to {@code
 *       http://host:port/api/v2/spans}, for Zipkin (or anything that takes its API); {@code
 *       zipkins://} over HTTPS, the server's certificate and host name verified, with {@code
 *       weft.zipkin.headers} and {@code weft.zipkin.certificate}. Needs {@code
 *       io.opentelemetry:opentelemetry-exporter-zipkin}. Write-only.
 * </ul>
 *
 * <p>Each driver is an optional dependency: a missing one disables only its scheme, with an error
 * that names the artifact to add. A backend that is down costs the application nothing: every
 * network call is bounded by a 2 s connect and read timeout, a failed batch throws (Weft counts its
 * spans as dropped and backs off), and the next batch connects afresh.
 */
public final class WeftCollectorFactory implements CollectorFactory {
  /** Connect and read timeout of every collector's network calls, in milliseconds. */
  public static final int TIMEOUT_MILLIS = 2000;

  @Override
  public boolean supports(String scheme) {
    switch (scheme.toLowerCase(Locale.ROOT)) {
      case "redis":
      case "rediss":
      case "redissentinel":
      case "mongodb":
      case "mongodb+srv":
      case "otlp":
      case "otlps":
      case "zipkin":
      case "zipkins":
        return true;
      default:
        return false;
    }
  }

  @Override
  public Collector collector(String connectionString, Map<String, String> settings) {
    boolean filterErrors =
        Boolean.parseBoolean(settings.getOrDefault("weft.filter_error_trace", "false").trim());
    switch (scheme(connectionString)) {
      case "redis":
      case "rediss":
      case "redissentinel":
        Drivers.require(Drivers.REDIS, connectionString);
        return RedisStore.collector(connectionString, filterErrors);
      case "mongodb":
      case "mongodb+srv":
        Drivers.require(Drivers.MONGODB, connectionString);
        return MongoStore.collector(connectionString, filterErrors);
      case "otlp":
      case "otlps":
        Drivers.require(Drivers.OTLP, connectionString);
        return OtlpExporter.collector(connectionString, settings);
      case "zipkin":
      case "zipkins":
        Drivers.require(Drivers.ZIPKIN, connectionString);
        return ZipkinExporter.collector(connectionString, settings);
      default:
        throw new IllegalArgumentException("unsupported connection string: " + connectionString);
    }
  }

  @Override
  public TraceReader reader(String connectionString) {
    switch (scheme(connectionString)) {
      case "redis":
      case "rediss":
      case "redissentinel":
        Drivers.require(Drivers.REDIS, connectionString);
        return RedisStore.reader(connectionString);
      case "mongodb":
      case "mongodb+srv":
        Drivers.require(Drivers.MONGODB, connectionString);
        return MongoStore.reader(connectionString);
      case "otlp":
      case "otlps":
        throw new IllegalArgumentException(
            "otlp:// only exports spans; read traces back from the tracing backend that receives"
                + " them (Jaeger, Tempo, ...)");
      case "zipkin":
      case "zipkins":
        throw new IllegalArgumentException(
            "zipkin:// only exports spans; read traces back from Zipkin (its UI at"
                + " http://host:port/zipkin/, or GET /api/v2/trace/<trace id>)");
      default:
        throw new IllegalArgumentException("unsupported connection string: " + connectionString);
    }
  }

  private static String scheme(String cs) {
    int i = cs.indexOf("://");
    return i <= 0 ? "" : cs.substring(0, i).toLowerCase(Locale.ROOT);
  }
}
