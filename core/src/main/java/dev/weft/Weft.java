package dev.weft;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.Switches;
import dev.weft.internal.config.WeftConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Weft's runtime switches and lifecycle. Configuration is read on first use from, highest first:
 * runtime changes (this class or JMX {@code dev.weft:type=Weft}), system properties {@code
 * -Dweft.*}, environment {@code WEFT_*}, the file named by {@code weft.config} or {@code
 * weft.properties} on the classpath, and the defaults.
 */
public final class Weft {
  private Weft() {}

  /** Reads the configuration and starts the collector thread, if not done yet. */
  public static void init() {
    WeftRuntime.ensureStarted();
  }

  /** Whether tracing is switched on ({@code weft.enabled}). */
  public static boolean enabled() {
    init();
    return Switches.enabled;
  }

  /**
   * Changes a {@code weft.*} key at runtime; it takes effect at the next join point. A null or
   * empty value removes the runtime change.
   *
   * @throws IllegalArgumentException for an unknown key
   */
  public static void set(String key, String value) {
    if (Key.byName(key) == null) {
      throw new IllegalArgumentException("unknown Weft key: " + key);
    }
    if (value == null || value.isEmpty()) {
      WeftConfig.OVERRIDES.remove(key);
    } else {
      WeftConfig.OVERRIDES.put(key, value);
    }
    WeftRuntime.reconfigure();
  }

  /** Drops every runtime change made with {@link #set} or JMX and re-reads the sources. */
  public static void resetRuntimeChanges() {
    WeftConfig.OVERRIDES.clear();
    WeftRuntime.reconfigure();
  }

  /** Re-reads the configuration file, system properties and environment. */
  public static void reload() {
    WeftRuntime.reconfigure();
  }

  /**
   * What the JVM shutdown hook does, now: flushes within {@code timeoutMillis}, stops the collector
   * thread and closes the collector (for an application that manages its own shutdown). Returns
   * whether everything queued was stored or dropped in time; nothing is stored afterwards.
   */
  public static boolean shutdown(long timeoutMillis) {
    return WeftRuntime.shutdown(timeoutMillis);
  }

  /** Waits, within {@code weft.flush_timeout_millis}, until queued spans are stored or dropped. */
  public static boolean flush() {
    return WeftRuntime.flush();
  }

  /**
   * Drops every event the {@code memory://} collector holds: one store per JVM, shared by every
   * {@code memory://} connection string. For tests that share a JVM and each start from an empty
   * store. Spans still queued are stored after it; call {@link #flush()} first to drop those too.
   */
  public static void clearMemoryStore() {
    dev.weft.internal.collect.MemoryCollector.clear();
  }

  /**
   * Whether a category's join points record now, as the woven code sees it: {@code weft.enabled}
   * and either the category switched on for the process ({@code weft.trace.<category>}) or a trace
   * running in this process that asked for it ({@link Trace#beginClient(String, String...)}, a
   * signed {@code X-Weft-Trace-Categories} header). {@link WeftMXBean#getCategories()} shows the
   * configured switches instead.
   *
   * @param category a category name: {@code annotated}, {@code servlet}, {@code sql}, ...
   * @throws IllegalArgumentException for an unknown category
   */
  public static boolean categoryActive(String category) {
    init();
    int index = Switches.index(category);
    if (index < 0) {
      throw new IllegalArgumentException("unknown Weft category: " + category);
    }
    return Switches.on(index);
  }

  /**
   * Opens a reader of what a collector stored, for a connection string as in {@code
   * weft.connection_string} ({@code file://DIR}, {@code redis://...}, {@code mongodb://...}; the
   * Redis and MongoDB readers need {@code weft-collectors}). Null or empty: the configured default.
   *
   * <pre>{@code
   * try (TraceReader r = Weft.reader("file:///var/tmp/weft-traces")) {
   *   List<String> events = r.events(baseId);
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException for a connection string that names no known collector
   * @throws Exception when the store cannot be opened
   */
  public static dev.weft.spi.TraceReader reader(String connectionString) throws Exception {
    return dev.weft.internal.collect.Collectors.reader(
        dev.weft.internal.collect.Collectors.effective(connectionString));
  }

  /**
   * A collector for a connection string, opened with this process's effective settings (the ones
   * {@code weft.connection_string} would be opened with), for tools that copy stored traces from
   * one store to another. The caller closes it. Spans that go through Weft's own pipeline never
   * need this.
   *
   * @throws IllegalArgumentException for a connection string that names no known collector
   * @throws Exception when the collector cannot be opened
   */
  public static dev.weft.spi.Collector collector(String connectionString) throws Exception {
    return dev.weft.internal.collect.Collectors.collector(
        dev.weft.internal.collect.Collectors.effective(connectionString),
        dev.weft.internal.WeftRuntime.settings(dev.weft.internal.WeftRuntime.config()));
  }

  /**
   * Weft's counters and switches, the same object JMX shows as {@code dev.weft:type=Weft}: traces
   * started, spans stored and dropped, the queue, the category switches.
   */
  public static WeftMXBean management() {
    init();
    return dev.weft.internal.WeftRuntime.management();
  }

  /**
   * One line describing the effective state, for a start-up log: enabled, the categories switched
   * on, those of them that nothing was woven for ({@code not_woven=redis,sql}: no agent, or the
   * driver absent, or not loaded yet), the collector (password redacted). Never includes the HMAC
   * keys.
   */
  public static String describe() {
    WeftConfig c = WeftRuntime.config();
    List<String> notWoven = WeftRuntime.notWoven();
    List<String> cats = new ArrayList<>();
    for (Key k : Key.values()) {
      if (k.key().startsWith("weft.trace.") && c.bool(k)) {
        cats.add(k.key().substring("weft.trace.".length()));
      }
    }
    return "weft: enabled="
        + c.bool(Key.ENABLED)
        + " categories="
        + String.join(",", cats)
        + (notWoven.isEmpty() ? "" : " not_woven=" + String.join(",", notWoven))
        + " collector="
        + WeftRuntime.collectorDescription()
        + " hmac_keys="
        + c.list(Key.HMAC_KEYS).size()
        + " config="
        + c.source();
  }
}
