package dev.weft.collectors.internal;

import dev.weft.spi.ConnectionStrings;

/**
 * The optional driver of each scheme, checked before any class of it is touched, so that a missing
 * driver disables only its scheme with a message naming the artifact to add.
 */
public final class Drivers {
  /** A driver: the classes it must provide and the Maven coordinates that provide them. */
  public record Driver(String scheme, String artifact, String... classes) {}

  public static final Driver REDIS =
      new Driver(
          "redis",
          "redis.clients:jedis (with org.apache.commons:commons-pool2)",
          "redis.clients.jedis.JedisPooled",
          "org.apache.commons.pool2.impl.GenericObjectPoolConfig");

  public static final Driver MONGODB =
      new Driver("mongodb", "org.mongodb:mongodb-driver-sync", "com.mongodb.client.MongoClients");

  public static final Driver OTLP =
      new Driver(
          "otlp",
          "io.opentelemetry:opentelemetry-exporter-otlp (with io.opentelemetry:opentelemetry-sdk)",
          "io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter",
          "io.opentelemetry.sdk.trace.data.SpanData");

  public static final Driver ZIPKIN =
      new Driver(
          "zipkin",
          "io.opentelemetry:opentelemetry-exporter-zipkin (with io.opentelemetry:opentelemetry-sdk)",
          "io.opentelemetry.exporter.zipkin.ZipkinSpanExporter",
          "zipkin2.reporter.okhttp3.OkHttpSender",
          "io.opentelemetry.sdk.trace.data.SpanData");

  private Drivers() {}

  /** Whether every class of the driver can be loaded. */
  public static boolean present(Driver d) {
    for (String c : d.classes()) {
      try {
        Class.forName(c, false, Drivers.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }

  /** Throws {@link IllegalStateException} naming the missing artifact when the driver is absent. */
  public static void require(Driver d, String connectionString) {
    if (!present(d)) {
      throw new IllegalStateException(
          d.scheme()
              + ":// needs "
              + d.artifact()
              + " on the classpath; weft-collectors declares it optional, add it to the"
              + " application to use "
              + ConnectionStrings.redact(connectionString));
    }
  }
}
