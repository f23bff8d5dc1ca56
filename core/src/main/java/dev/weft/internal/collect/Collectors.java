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
        if (cs.equals(defaultConnectionString())) {
          FileCollector.checkOwnedByThisUser(FileCollector.dirOf(cs));
        }
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

  /**
   * The text with every secret of a connection string replaced by {@code ***}, for messages and
   * logs: the user information of each {@code scheme://user:password@host} in it (up to the last
   * {@code @} before the query, so a password may contain {@code /}, {@code @} or {@code
   * %}-escapes), and the values of query parameters whose name says password, secret, token or key.
   */
  public static String redact(String cs) {
    if (cs == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(cs.length());
    int i = 0;
    while (true) {
      int scheme = cs.indexOf("://", i);
      if (scheme < 0) {
        out.append(cs, i, cs.length());
        return out.toString();
      }
      int start = scheme + 3;
      int end = start;
      while (end < cs.length()
          && !Character.isWhitespace(cs.charAt(end))
          && "\"'<>".indexOf(cs.charAt(end)) < 0) {
        end++;
      }
      out.append(cs, i, start);
      out.append(redactOne(cs.substring(start, end)));
      i = end;
    }
  }

  private static final java.util.regex.Pattern SECRET_PARAM =
      java.util.regex.Pattern.compile(
          "(?i)([?&;](?:[a-z0-9_.-]*(?:pass|pwd|secret|token|key|credential)[a-z0-9_.-]*)=)[^&;#]*");

  /** One connection string's authority and query, after its {@code ://}. */
  private static String redactOne(String rest) {
    int query = rest.length();
    for (int k = 0; k < rest.length(); k++) {
      char c = rest.charAt(k);
      if (c == '?' || c == '#') {
        query = k;
        break;
      }
    }
    String head = rest.substring(0, query);
    String tail = rest.substring(query);
    int at = head.lastIndexOf('@');
    if (at >= 0) {
      head = "***" + head.substring(at);
    }
    return head + SECRET_PARAM.matcher(tail).replaceAll("$1***");
  }
}
