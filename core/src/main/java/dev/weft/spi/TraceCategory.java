package dev.weft.spi;

import java.util.List;

/**
 * The category table: every category Weft traces, in one place. Its key ({@code
 * weft.trace.<name>}), default, description, the span names its integrations record and their span
 * kind all come from here; {@code Key}, {@code Switches}, JMX, {@code Weft.describe()}, the OTLP
 * exporter and the HTML view derive theirs. A test holds each row against its integration's
 * aop.xml, docs/configuration.md and weft-default.properties.
 *
 * <p>Adding a category: a row here, a case in {@code Switches.set} with its volatile flag, the name
 * in {@code dev.weft.annotations.Category} when users may name it in {@code @Traced}, and its
 * integration module under {@code aspects/}.
 */
public enum TraceCategory {
  ANNOTATED(
      "annotated",
      true,
      Kind.INTERNAL,
      Weaving.APPLICATION,
      "@Traced methods and types",
      List.of()),
  SERVLET(
      "servlet",
      true,
      Kind.SERVER,
      Weaving.DRIVER,
      "the servlet entry: one span per incoming HTTP request",
      List.of("servlet", "wsgi")),
  HTTP(
      "http",
      true,
      Kind.CLIENT,
      Weaving.APPLICATION,
      "outgoing HTTP calls (JDK HttpClient call sites)",
      List.of("http", "https", "requests")),
  MONGODB(
      "mongodb",
      false,
      Kind.CLIENT,
      Weaving.DRIVER,
      "MongoDB operations (mongodb-driver-sync)",
      List.of("mongodb")),
  REDIS("redis", false, Kind.CLIENT, Weaving.DRIVER, "Redis commands (Jedis)", List.of("redis")),
  SQL(
      "sql",
      false,
      Kind.CLIENT,
      Weaving.DRIVER,
      "SQL statements (JDBC) and Hibernate session operations",
      List.of("db", "sql", "hibernate")),
  POOLING(
      "pooling",
      true,
      Kind.INTERNAL,
      Weaving.DRIVER,
      "pool selection (@Traced) and connection checkout (HikariCP, commons-pool2, MongoDB)",
      List.of("pooling")),
  ASYNC(
      "async",
      true,
      Kind.INTERNAL,
      Weaving.APPLICATION,
      "hand-off of a trace to executors and CompletableFuture stages",
      List.of("async"));

  /** Where a category's join points are woven. */
  public enum Weaving {
    /** Into the application's own code, at compile time ({@code weft-aspects}). */
    APPLICATION,
    /** Into third-party drivers and containers, at load time (the agent or aop.xml). */
    DRIVER
  }

  /** The span kind an exporter gives this category's spans. */
  public enum Kind {
    SERVER,
    CLIENT,
    INTERNAL
  }

  private final String name;
  private final boolean defaultOn;
  private final Kind kind;
  private final Weaving weaving;
  private final String description;
  private final List<String> spanNames;

  /**
   * Set once one of the category's join points is woven into a loaded class; see {@link #woven()}.
   */
  private volatile boolean woven;

  private volatile boolean warned;

  TraceCategory(
      String name,
      boolean defaultOn,
      Kind kind,
      Weaving weaving,
      String description,
      List<String> spanNames) {
    this.name = name;
    this.defaultOn = defaultOn;
    this.kind = kind;
    this.weaving = weaving;
    this.description = description;
    this.spanNames = spanNames;
  }

  /** The name users write: {@code redis}. */
  public String categoryName() {
    return name;
  }

  /** Its switch: {@code weft.trace.redis}. */
  public String key() {
    return "weft.trace." + name;
  }

  public boolean defaultOn() {
    return defaultOn;
  }

  public Kind kind() {
    return kind;
  }

  public Weaving weaving() {
    return weaving;
  }

  public String description() {
    return description;
  }

  /** The span names its integrations record (OSProfiler's point names). */
  public List<String> spanNames() {
    return spanNames;
  }

  /** The row with this name, or {@code null}. */
  public static TraceCategory byName(String name) {
    for (TraceCategory c : values()) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The category whose integrations record spans of this name, or {@code null}. */
  public static TraceCategory forSpanName(String spanName) {
    if (spanName == null) {
      return null;
    }
    for (TraceCategory c : values()) {
      if (c.spanNames.contains(spanName)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Called by an integration when a class it weaves is initialized: the category's join points
   * exist in this JVM.
   */
  public static void markWoven(String name) {
    TraceCategory c = byName(name);
    if (c != null) {
      c.woven = true;
    }
  }

  /**
   * Whether a class woven for this category has been loaded and initialized. Tracked for the {@link
   * Weaving#DRIVER} categories only (their integrations mark it); the {@link Weaving#APPLICATION}
   * ones, compiled into the application's code, are taken as woven.
   */
  public boolean woven() {
    return woven || weaving == Weaving.APPLICATION;
  }

  /** True the first time it is called for this category; for a warning given once. */
  public synchronized boolean firstWarningOnce() {
    if (warned) {
      return false;
    }
    warned = true;
    return true;
  }
}
