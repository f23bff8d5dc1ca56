package dev.weft.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.TraceCategory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeftConfigTest {
  @TempDir Path tmp;

  private final List<String> warnings = new ArrayList<>();

  /** Runs {@code body} with a context class loader that sees only {@code dir} (or nothing). */
  private static <T> T withClasspath(Path dir, Callable<T> body) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    URL[] urls = dir == null ? new URL[0] : new URL[] {dir.toUri().toURL()};
    try (URLClassLoader cl = new URLClassLoader(urls, null)) {
      t.setContextClassLoader(cl);
      return body.call();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  private WeftConfig resolve(Map<String, String> overrides, Properties sys, Map<String, String> env)
      throws Exception {
    return withClasspath(null, () -> WeftConfig.resolve(overrides, sys, env::get, warnings));
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private Path writeFile(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void everyKey_hasItsDocumentedDefault() throws Exception {
    Map<String, String> documented = new LinkedHashMap<>();
    documented.put("weft.enabled", "false");
    documented.put("weft.hmac_keys", "");
    documented.put("weft.connection_string", "");
    documented.put("weft.trace.annotated", "true");
    documented.put("weft.trace.servlet", "true");
    documented.put("weft.trace.http", "true");
    documented.put("weft.trace.mongodb", "false");
    documented.put("weft.trace.redis", "false");
    documented.put("weft.trace.sql", "false");
    documented.put("weft.trace.pooling", "true");
    documented.put("weft.trace.async", "true");
    documented.put("weft.async.spans", "false");
    documented.put("weft.sql.params", "false");
    documented.put("weft.http.propagate_hosts", "internal");
    documented.put("weft.http.query_values", "false");
    documented.put("weft.http.path_values", "redact-ids");
    documented.put("weft.http.path_templates", "");
    documented.put("weft.pooling.min_wait_micros", "0");
    documented.put("weft.project", "weft");
    documented.put("weft.service", "");
    documented.put("weft.host", "");
    documented.put("weft.filter_error_trace", "false");
    documented.put("weft.trust_traceparent", "false");
    documented.put("weft.max_traces_per_second", "0");
    documented.put("weft.queue.capacity", "65536");
    documented.put("weft.queue.max_bytes", "8388608");
    documented.put("weft.queue.batch_size", "1024");
    documented.put("weft.queue.linger_millis", "250");
    documented.put("weft.flush_timeout_millis", "5000");
    documented.put("weft.otlp.headers", "");
    documented.put("weft.otlp.certificate", "");
    documented.put("weft.zipkin.headers", "");
    documented.put("weft.zipkin.certificate", "");
    documented.put("weft.max_value_length", "256");

    Map<String, String> keys = new LinkedHashMap<>();
    for (Key k : Key.values()) {
      keys.put(k.key(), k.defaultValue());
    }
    assertThat(keys).containsExactlyEntriesOf(documented);

    WeftConfig c = resolve(Map.of(), new Properties(), Map.of());
    assertThat(warnings).isEmpty();
    assertThat(c.source()).isEqualTo("defaults");
    for (Key k : Key.values()) {
      assertThat(c.raw(k)).as(k.key()).isEqualTo(documented.get(k.key()));
    }
    assertThat(c.bool(Key.ENABLED)).isFalse();
    assertThat(c.list(Key.HMAC_KEYS)).isEmpty();
    assertThat(c.string(Key.CONNECTION_STRING)).isEmpty();
    assertThat(c.bool(Key.of(TraceCategory.ANNOTATED))).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.SERVLET))).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.HTTP))).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.MONGODB))).isFalse();
    assertThat(c.bool(Key.of(TraceCategory.REDIS))).isFalse();
    assertThat(c.bool(Key.of(TraceCategory.SQL))).isFalse();
    assertThat(c.bool(Key.of(TraceCategory.POOLING))).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.ASYNC))).isTrue();
    assertThat(c.bool(Key.SQL_PARAMS)).isFalse();
    assertThat(c.string(Key.HTTP_PATH_VALUES)).isEqualTo("redact-ids");
    assertThat(c.list(Key.HTTP_PATH_TEMPLATES)).isEmpty();
    assertThat(c.number(Key.POOLING_MIN_WAIT_MICROS)).isZero();
    assertThat(c.string(Key.PROJECT)).isEqualTo("weft");
    assertThat(c.string(Key.SERVICE)).isEmpty();
    assertThat(c.string(Key.HOST)).isEmpty();
    assertThat(c.bool(Key.FILTER_ERROR_TRACE)).isFalse();
    assertThat(c.bool(Key.TRUST_TRACEPARENT)).isFalse();
    assertThat(c.number(Key.MAX_TRACES_PER_SECOND)).isZero();
    assertThat(c.number(Key.QUEUE_CAPACITY)).isEqualTo(65536L);
    assertThat(c.number(Key.BATCH_SIZE)).isEqualTo(1024L);
    assertThat(c.number(Key.FLUSH_TIMEOUT_MILLIS)).isEqualTo(5000L);
    assertThat(c.number(Key.MAX_VALUE_LENGTH)).isEqualTo(256L);
  }

  @Test
  void envNames_areUpperCaseWithUnderscores() {
    assertThat(Key.of(TraceCategory.REDIS).envName()).isEqualTo("WEFT_TRACE_REDIS");
    assertThat(Key.BATCH_SIZE.envName()).isEqualTo("WEFT_QUEUE_BATCH_SIZE");
    assertThat(Key.HMAC_KEYS.envName()).isEqualTo("WEFT_HMAC_KEYS");
    for (Key k : Key.values()) {
      assertThat(k.envName()).isEqualTo(k.key().toUpperCase().replace('.', '_'));
      assertThat(Key.byName(k.key())).isSameAs(k);
    }
    assertThat(Key.forCategory("redis")).isSameAs(Key.of(TraceCategory.REDIS));
    assertThat(Key.forCategory("nope")).isNull();
  }

  @Test
  void fileNamedByWeftConfigSystemProperty() throws Exception {
    Path f =
        writeFile(
            "a.properties",
            "# comment\nweft.enabled = true\nweft.hmac_keys=k1, k2,,k3\nweft.trace.redis=yes\n"
                + "weft.queue.capacity=1024\nweft.project=Zaqar\n");
    WeftConfig c = resolve(Map.of(), props("weft.config", f.toString()), Map.of());
    assertThat(warnings).isEmpty();
    assertThat(c.source()).isEqualTo(f.toString());
    assertThat(c.bool(Key.ENABLED)).isTrue();
    assertThat(c.list(Key.HMAC_KEYS)).containsExactly("k1", "k2", "k3");
    assertThat(c.bool(Key.of(TraceCategory.REDIS))).isTrue();
    assertThat(c.raw(Key.of(TraceCategory.REDIS))).isEqualTo("yes");
    assertThat(c.number(Key.QUEUE_CAPACITY)).isEqualTo(1024L);
    assertThat(c.string(Key.PROJECT)).isEqualTo("Zaqar");
    assertThat(c.bool(Key.of(TraceCategory.SQL))).isFalse();
  }

  @Test
  void fileNamedByWeftConfigEnvironmentVariable() throws Exception {
    Path f = writeFile("b.properties", "weft.service=from-env-file\n");
    WeftConfig c = resolve(Map.of(), new Properties(), Map.of("WEFT_CONFIG", f.toString()));
    assertThat(c.source()).isEqualTo(f.toString());
    assertThat(c.string(Key.SERVICE)).isEqualTo("from-env-file");
  }

  @Test
  void missingConfigFile_warnsAndUsesDefaults() throws Exception {
    Path missing = tmp.resolve("absent.properties");
    WeftConfig c = resolve(Map.of(), props("weft.config", missing.toString()), Map.of());
    assertThat(c.source()).isEqualTo("defaults");
    assertThat(c.bool(Key.ENABLED)).isFalse();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("weft: cannot read weft.config file " + missing);
  }

  @Test
  void classpathWeftProperties() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cp"));
    Files.writeString(dir.resolve("weft.properties"), "weft.enabled=true\nweft.trace.sql=true\n");
    WeftConfig c =
        withClasspath(
            dir, () -> WeftConfig.resolve(Map.of(), new Properties(), k -> null, warnings));
    assertThat(warnings).isEmpty();
    assertThat(c.source()).isEqualTo("classpath:weft.properties");
    assertThat(c.bool(Key.ENABLED)).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.SQL))).isTrue();

    // weft.config wins over the classpath file.
    Path f = writeFile("c.properties", "weft.trace.sql=false\n");
    WeftConfig named =
        withClasspath(
            dir,
            () ->
                WeftConfig.resolve(
                    Map.of(), props("weft.config", f.toString()), k -> null, warnings));
    assertThat(named.source()).isEqualTo(f.toString());
    assertThat(named.bool(Key.ENABLED)).isFalse();
    assertThat(named.bool(Key.of(TraceCategory.SQL))).isFalse();
  }

  @Test
  void systemPropertiesAndEnvironment() throws Exception {
    Map<String, String> env = Map.of("WEFT_TRACE_MONGODB", "true", "WEFT_HOST", "env-host");
    WeftConfig c = resolve(Map.of(), props("weft.trace.redis", "true", "weft.service", "svc"), env);
    assertThat(c.bool(Key.of(TraceCategory.MONGODB))).isTrue();
    assertThat(c.string(Key.HOST)).isEqualTo("env-host");
    assertThat(c.bool(Key.of(TraceCategory.REDIS))).isTrue();
    assertThat(c.string(Key.SERVICE)).isEqualTo("svc");
    assertThat(warnings).isEmpty();
  }

  @Test
  void precedence_runtimeThenSystemPropertiesThenEnvironmentThenFileThenDefault() throws Exception {
    Path f = writeFile("p.properties", "weft.project=file\n");
    Map<String, String> overrides = new HashMap<>(Map.of("weft.project", "runtime"));
    Properties sys = props("weft.config", f.toString(), "weft.project", "sysprop");
    Map<String, String> env = new HashMap<>(Map.of("WEFT_PROJECT", "env"));

    assertThat(resolve(overrides, sys, env).string(Key.PROJECT)).isEqualTo("runtime");
    overrides.clear();
    assertThat(resolve(overrides, sys, env).string(Key.PROJECT)).isEqualTo("sysprop");
    sys.remove("weft.project");
    assertThat(resolve(overrides, sys, env).string(Key.PROJECT)).isEqualTo("env");
    env.clear();
    assertThat(resolve(overrides, sys, env).string(Key.PROJECT)).isEqualTo("file");
    sys.remove("weft.config");
    assertThat(resolve(overrides, sys, env).string(Key.PROJECT)).isEqualTo("weft");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aChoiceIsMatchedIgnoringCase_andAnyOtherWordIsABadValue() throws Exception {
    WeftConfig c = resolve(Map.of(), props("weft.http.path_values", " ALL "), Map.of());
    assertThat(c.string(Key.HTTP_PATH_VALUES)).isEqualTo("all");
    assertThat(c.raw(Key.HTTP_PATH_VALUES)).isEqualTo("ALL");
    assertThat(
            resolve(Map.of(), new Properties(), Map.of("WEFT_HTTP_PATH_VALUES", "none"))
                .string(Key.HTTP_PATH_VALUES))
        .isEqualTo("none");
    assertThat(warnings).isEmpty();
    c = resolve(Map.of("weft.http.path_values", "some"), new Properties(), Map.of());
    assertThat(c.string(Key.HTTP_PATH_VALUES)).isEqualTo("redact-ids");
    assertThat(Key.HTTP_PATH_VALUES.choices()).containsExactly("redact-ids", "all", "none");
    assertThat(warnings)
        .containsExactly(
            "weft: bad value for weft.http.path_values (expected one of redact-ids, all, none);"
                + " using the default 'redact-ids'");
  }

  @Test
  void badValue_warnsNamingTheKeyAndUsesTheDefault() throws Exception {
    Path f = writeFile("bad.properties", "weft.queue.capacity=lots\n");
    Function<String, String> env =
        Map.of("WEFT_TRACE_SERVLET", "perhaps", "WEFT_MAX_TRACES_PER_SECOND", "-5")::get;
    Properties sys = props("weft.config", f.toString(), "weft.enabled", "maybe");
    WeftConfig c =
        withClasspath(
            null,
            () ->
                WeftConfig.resolve(
                    Map.of("weft.flush_timeout_millis", "soon", "weft.trace.redis", "true"),
                    sys,
                    env,
                    warnings));

    assertThat(warnings)
        .containsExactly(
            "weft: bad value for weft.enabled (expected boolean); using the default 'false'",
            "weft: bad value for weft.trace.servlet (expected boolean); using the default 'true'",
            "weft: bad value for weft.max_traces_per_second (expected long); using the default"
                + " '0'",
            "weft: bad value for weft.queue.capacity (expected long); using the default '65536'",
            "weft: bad value for weft.flush_timeout_millis (expected long); using the default"
                + " '5000'");
    assertThat(c.bool(Key.ENABLED)).isFalse();
    assertThat(c.raw(Key.ENABLED)).isEqualTo("false");
    assertThat(c.bool(Key.of(TraceCategory.SERVLET))).isTrue();
    assertThat(c.number(Key.MAX_TRACES_PER_SECOND)).isZero();
    assertThat(c.number(Key.QUEUE_CAPACITY)).isEqualTo(65536L);
    assertThat(c.number(Key.FLUSH_TIMEOUT_MILLIS)).isEqualTo(5000L);
    assertThat(c.bool(Key.of(TraceCategory.REDIS))).isTrue();
  }

  @Test
  void badHigherValue_usesTheDefaultNotALowerSource() throws Exception {
    WeftConfig c =
        resolve(Map.of(), props("weft.trace.sql", "sometimes"), Map.of("WEFT_TRACE_SQL", "true"));
    assertThat(c.bool(Key.of(TraceCategory.SQL))).isFalse();
    assertThat(warnings)
        .containsExactly(
            "weft: bad value for weft.trace.sql (expected boolean); using the default 'false'");
  }

  @Test
  void valuesAreTrimmedAndBooleansAcceptCommonSpellings() throws Exception {
    WeftConfig c =
        resolve(
            Map.of(),
            props(
                "weft.enabled", " TRUE ",
                "weft.trace.sql", "1",
                "weft.trace.servlet", "no",
                "weft.queue.batch_size", " 64 "),
            Map.of());
    assertThat(warnings).isEmpty();
    assertThat(c.bool(Key.ENABLED)).isTrue();
    assertThat(c.raw(Key.ENABLED)).isEqualTo("TRUE");
    assertThat(c.bool(Key.of(TraceCategory.SQL))).isTrue();
    assertThat(c.bool(Key.of(TraceCategory.SERVLET))).isFalse();
    assertThat(c.number(Key.BATCH_SIZE)).isEqualTo(64L);
  }
}
