package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.internal.collect.Collectors;
import dev.weft.spi.Collector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drivers are optional dependencies: in a class loader that holds weft-core, weft-collectors
 * and Jackson but a driver is missing, that scheme fails with a message naming the artifact, and
 * the other schemes still work. With every driver present, ServiceLoader finds the factory.
 */
class OptionalDriverTest {
  private static URL jarOf(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  private static ClassLoader loaderWith(Class<?>... extra) {
    List<URL> urls = new ArrayList<>();
    urls.add(jarOf(WeftCollectorFactory.class));
    urls.add(jarOf(Collector.class));
    urls.add(jarOf(ObjectMapper.class));
    urls.add(jarOf(JsonFactory.class));
    urls.add(jarOf(com.fasterxml.jackson.annotation.JsonProperty.class));
    for (Class<?> c : extra) {
      urls.add(jarOf(c));
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  /** Calls {@code Collectors.collector(cs, {})} inside the loader; returns the failure, or null. */
  private static Throwable open(ClassLoader loader, String cs) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      Class<?> collectors = Class.forName(Collectors.class.getName(), true, loader);
      Method m = collectors.getMethod("collector", String.class, Map.class);
      Object c = m.invoke(null, cs, Map.of());
      ((AutoCloseable) c).close();
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  @Test
  void withoutAnyDriver_eachSchemeNamesTheArtifactToAdd() throws Exception {
    ClassLoader bare = loaderWith();
    assertThat(open(bare, "redis://:pw@127.0.0.1:6379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "redis:// needs redis.clients:jedis (with org.apache.commons:commons-pool2) on the"
                + " classpath; weft-collectors declares it optional, add it to the application to"
                + " use redis://***@127.0.0.1:6379");
    assertThat(open(bare, "mongodb://127.0.0.1:27017"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "mongodb:// needs org.mongodb:mongodb-driver-sync on the classpath; weft-collectors"
                + " declares it optional, add it to the application to use"
                + " mongodb://127.0.0.1:27017");
    assertThat(open(bare, "otlp://127.0.0.1:4318"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "otlp:// needs io.opentelemetry:opentelemetry-exporter-otlp (with"
                + " io.opentelemetry:opentelemetry-sdk) on the classpath; weft-collectors declares"
                + " it optional, add it to the application to use otlp://127.0.0.1:4318");
    assertThat(open(bare, "zipkin://127.0.0.1:9411"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "zipkin:// needs io.opentelemetry:opentelemetry-exporter-zipkin (with"
                + " io.opentelemetry:opentelemetry-sdk) on the classpath; weft-collectors declares"
                + " it optional, add it to the application to use zipkin://127.0.0.1:9411");
  }

  @Test
  void withOnlyTheMongoDriver_mongodbWorksAndRedisStillExplains() throws Exception {
    ClassLoader mongoOnly =
        loaderWith(
            com.mongodb.client.MongoClients.class,
            com.mongodb.ConnectionString.class,
            org.bson.Document.class);
    assertThat(open(mongoOnly, "mongodb://127.0.0.1:27017")).isNull();
    assertThat(open(mongoOnly, "redis://127.0.0.1:6379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("redis:// needs redis.clients:jedis");
  }

  @Test
  void serviceLoader_findsTheFactoryForEachScheme() throws Exception {
    try (Collector redis = Collectors.collector("redis://127.0.0.1:1/2", Map.of());
        Collector mongo = Collectors.collector("mongodb://127.0.0.1:1", Map.of());
        Collector otlp = Collectors.collector("otlp://127.0.0.1:1", Map.of());
        Collector zipkin = Collectors.collector("zipkin://127.0.0.1:1", Map.of())) {
      assertThat(redis.getClass().getName()).isEqualTo("dev.weft.collectors.internal.RedisStore");
      assertThat(mongo.getClass().getName()).isEqualTo("dev.weft.collectors.internal.MongoStore");
      assertThat(otlp.getClass().getName()).isEqualTo("dev.weft.collectors.internal.OtlpExporter");
      assertThat(zipkin.getClass().getName())
          .isEqualTo("dev.weft.collectors.internal.ZipkinExporter");
    }
    WeftCollectorFactory f = new WeftCollectorFactory();
    assertThat(
            List.of(
                "redis", "rediss", "mongodb", "mongodb+srv", "otlp", "zipkin", "zipkins", "REDIS"))
        .allMatch(f::supports);
    assertThat(List.of("file", "memory", "log", "http")).noneMatch(f::supports);
  }
}
