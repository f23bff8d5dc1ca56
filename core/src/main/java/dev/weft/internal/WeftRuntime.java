package dev.weft.internal;

import dev.weft.internal.collect.Collectors;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.Switches;
import dev.weft.internal.config.WeftConfig;
import dev.weft.internal.pipeline.EventEncoder;
import dev.weft.internal.pipeline.Pipeline;
import dev.weft.spi.Collector;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide state: the effective configuration, the collection pipeline, the trace rate
 * limiter and the counters. Started on first use (the first woven join point or API call); the
 * configuration can be replaced at runtime with {@link #reconfigure()}.
 */
public final class WeftRuntime {
  private static final System.Logger LOG = System.getLogger("dev.weft");
  private static volatile WeftConfig config;
  private static volatile Pipeline pipeline;
  private static volatile String collectorDescription = "";
  private static String openedConnectionString;
  private static final RateLimiter LIMITER = new RateLimiter(0);
  private static final AtomicLong TRACES_STARTED = new AtomicLong();
  private static boolean started;

  private WeftRuntime() {}

  /** Idempotent start: reads the configuration, starts the pipeline, registers JMX. */
  public static synchronized void ensureStarted() {
    if (started) {
      return;
    }
    started = true;
    reconfigure();
    WeftMBeanImpl.register();
    Runtime.getRuntime().addShutdownHook(new Thread(WeftRuntime::shutdownQuietly, "weft-shutdown"));
  }

  /** Re-reads every source (overrides, system properties, environment, file) and applies it. */
  public static synchronized void reconfigure() {
    WeftConfig c = WeftConfig.fromEnvironment(WeftConfig.OVERRIDES);
    config = c;
    LIMITER.limit(c.number(Key.MAX_TRACES_PER_SECOND));
    String cs = Collectors.effective(c.string(Key.CONNECTION_STRING));
    collectorDescription = Collectors.redact(cs);
    Pipeline p = pipeline;
    if (p == null) {
      // Design note: while Weft is switched off nothing is started (no collector thread, no
      // queue, no connection): the pipeline starts when tracing is first switched on.
      if (c.bool(Key.ENABLED)) {
        startPipeline(c, cs);
      }
    } else {
      p.encoder(encoder(c));
      if (!cs.equals(openedConnectionString)) {
        p.flush(c.number(Key.FLUSH_TIMEOUT_MILLIS));
        p.collector(openCollector(cs, c));
        openedConnectionString = cs;
      }
    }
    Switches.apply(c);
    if (TRACES_STARTED.get() > 0) {
      warnNotWoven();
    }
  }

  /**
   * The categories switched on now whose join points were never woven in this JVM (no agent, or the
   * driver absent); empty when tracing is off.
   */
  public static java.util.List<String> notWoven() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (dev.weft.spi.TraceCategory cat : dev.weft.spi.TraceCategory.values()) {
      if (Switches.global(cat.ordinal()) && !cat.woven()) {
        out.add(cat.categoryName());
      }
    }
    return out;
  }

  /**
   * Warns once per category that was switched on (it is off by default: mongodb, redis, sql) but
   * has nothing woven. Called at the first trace, when the application is up and has loaded its
   * drivers, and at later reconfigurations.
   */
  static void warnNotWoven() {
    for (String name : notWoven()) {
      dev.weft.spi.TraceCategory cat = dev.weft.spi.TraceCategory.byName(name);
      if (!cat.defaultOn() && cat.firstWarningOnce()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "weft: category '"
                + name
                + "' is switched on, but none of its join points is woven in this JVM: start it"
                + " with -javaagent:weft-agent.jar (or weave its driver's classes at build time,"
                + " docs/weaving.md), and check that its driver is on the class path; its spans"
                + " are missing until then");
      }
    }
  }

  private static void startPipeline(WeftConfig c, String cs) {
    pipeline =
        new Pipeline(
            (int) Math.min(Integer.MAX_VALUE, c.number(Key.QUEUE_CAPACITY)),
            Math.max(64 * 1024L, c.number(Key.QUEUE_MAX_BYTES)),
            (int) Math.min(65536, c.number(Key.BATCH_SIZE)),
            c.number(Key.QUEUE_LINGER_MILLIS),
            openCollector(cs, c),
            encoder(c));
    openedConnectionString = cs;
  }

  private static Collector openCollector(String cs, WeftConfig c) {
    try {
      return Collectors.collector(cs, settings(c));
    } catch (Exception | LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "weft: cannot open collector "
              + Collectors.redact(cs)
              + " ("
              + e
              + "); spans will be dropped and counted");
      return batch -> {
        throw new IllegalStateException("no collector: " + Collectors.redact(cs));
      };
    }
  }

  /** The effective settings as text, without the HMAC keys. */
  public static Map<String, String> settings(WeftConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Key k : Key.values()) {
      if (k != Key.HMAC_KEYS) {
        m.put(k.key(), c.raw(k));
      }
    }
    return m;
  }

  private static EventEncoder encoder(WeftConfig c) {
    return new EventEncoder(c.string(Key.PROJECT), service(c), host(c));
  }

  private static String service(WeftConfig c) {
    String s = c.string(Key.SERVICE);
    if (!s.isEmpty()) {
      return s;
    }
    String cmd = System.getProperty("sun.java.command", "");
    String main = cmd.split(" ", 2)[0];
    if (main.endsWith(".jar")) {
      main = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
      return main.substring(0, main.length() - 4);
    }
    int dot = main.lastIndexOf('.');
    return main.isEmpty() ? "java" : main.substring(dot + 1);
  }

  private static String host(WeftConfig c) {
    String h = c.string(Key.HOST);
    if (!h.isEmpty()) {
      return h;
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  public static WeftConfig config() {
    WeftConfig c = config;
    if (c == null) {
      ensureStarted(); // synchronized: taken only until the first configuration exists
      c = config;
    }
    return c;
  }

  /** The pipeline, started on first use if tracing has not started it yet. */
  public static Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) {
      synchronized (WeftRuntime.class) {
        ensureStarted();
        if (pipeline == null) {
          startPipeline(config, Collectors.effective(config.string(Key.CONNECTION_STRING)));
        }
        p = pipeline;
      }
    }
    return p;
  }

  /** The pipeline, or null while tracing has never been switched on. */
  public static Pipeline pipelineIfStarted() {
    return pipeline;
  }

  public static List<String> hmacKeys() {
    return config().list(Key.HMAC_KEYS);
  }

  public static String collectorDescription() {
    return collectorDescription;
  }

  /**
   * Admits a request of trace {@code baseId} under {@code weft.max_traces_per_second} and counts it
   * as started; null when the cap refused it (a new trace over the cap; counted). The caller
   * releases the result when the request ends here ({@code ThreadContext.end()} does).
   */
  public static RateLimiter.Recent admitTrace(String baseId) {
    RateLimiter.Recent r = LIMITER.admit(baseId);
    if (r == null) {
      return null;
    }
    if (TRACES_STARTED.incrementAndGet() == 1) {
      warnNotWoven();
    }
    return r;
  }

  private static final dev.weft.WeftMXBean MANAGEMENT = new WeftMBeanImpl();

  /** The management object, as registered with JMX. */
  public static dev.weft.WeftMXBean management() {
    return MANAGEMENT;
  }

  public static long tracesStarted() {
    return TRACES_STARTED.get();
  }

  public static long tracesRateLimited() {
    return LIMITER.rejected();
  }

  /** Flushes within the configured bound. */
  public static boolean flush() {
    Pipeline p = pipelineIfStarted();
    return p == null || p.flush(config().number(Key.FLUSH_TIMEOUT_MILLIS));
  }

  /**
   * What the JVM shutdown hook runs, now: flushes within {@code timeoutMillis}, stops the collector
   * thread and closes the collector. Returns whether everything queued was stored or dropped in
   * time. Tracing stays switched as it is, but nothing more is stored.
   */
  public static boolean shutdown(long timeoutMillis) {
    Pipeline p = pipeline;
    return p == null || p.shutdown(timeoutMillis);
  }

  private static void shutdownQuietly() {
    try {
      Pipeline p = pipeline;
      if (p != null) {
        p.shutdown(config.number(Key.FLUSH_TIMEOUT_MILLIS));
      }
    } catch (Throwable t) {
      // nothing to do at JVM exit
    }
  }
}
