package dev.weft.internal.collect;

import dev.weft.spi.Collector;
import dev.weft.spi.CollectorFactory;
import dev.weft.spi.TraceReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/** Resolves a connection string to a collector or reader: built-ins first, then ServiceLoader. */
public final class Collectors {
  private Collectors() {}

  /** The default connection string: {@code file://<java.io.tmpdir>/weft-traces}. */
  public static String defaultConnectionString() {
    return "file://" + Path.of(System.getProperty("java.io.tmpdir"), "weft-traces");
  }

  public static String effective(String connectionString) {
    return connectionString == null || connectionString.isBlank()
        ? defaultConnectionString()
        : connectionString.trim();
  }

  public static String scheme(String cs) {
    int i = cs.indexOf("://");
    if (i <= 0) {
      throw new IllegalArgumentException(
          "not a connection string (expected scheme://...): " + redact(cs));
    }
    return cs.substring(0, i).toLowerCase(java.util.Locale.ROOT);
  }

  public static Collector collector(String cs, Map<String, String> settings) throws Exception {
    cs = effective(cs);
    switch (scheme(cs)) {
      case "file":
        return new FileCollector(FileCollector.dirOf(cs));
      case "log":
        return new LogCollector();
      case "memory":
        return new MemoryCollector();
      default:
        return factory(cs).collector(cs, settings);
    }
  }

  public static TraceReader reader(String cs) throws Exception {
    cs = effective(cs);
    switch (scheme(cs)) {
      case "file":
        return new FileCollector(FileCollector.dirOf(cs));
      case "memory":
        return new MemoryCollector();
      case "log":
        throw new IllegalArgumentException("log:// stores nothing that can be read back");
      default:
        return factory(cs).reader(cs);
    }
  }

  private static CollectorFactory factory(String cs) {
    String scheme = scheme(cs);
    for (CollectorFactory f : ServiceLoader.load(CollectorFactory.class, loader())) {
      if (f.supports(scheme)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "no collector for '"
            + scheme
            + "://' (is weft-collectors on the classpath?): "
            + redact(cs));
  }

  private static ClassLoader loader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : Collectors.class.getClassLoader();
  }

  /** The connection string with any password replaced by {@code ***}, for messages and logs. */
  public static String redact(String cs) {
    if (cs == null) {
      return null;
    }
    return cs.replaceAll("(://)([^/@]*)@", "$1***@");
  }
}
