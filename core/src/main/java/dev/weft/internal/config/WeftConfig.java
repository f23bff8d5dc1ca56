package dev.weft.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An immutable snapshot of Weft's configuration, resolved from its sources, highest first: runtime
 * overrides (JMX), system properties, environment ({@code WEFT_*}), the file named by {@code
 * weft.config} or {@code weft.properties} on the classpath, defaults.
 *
 * <p>A value that does not parse produces one warning naming the key, and the default is used.
 */
public final class WeftConfig {
  private static final System.Logger LOG = System.getLogger("dev.weft");

  private final Map<Key, String> raw;
  private final Map<Key, Object> parsed;
  private final String source;

  private WeftConfig(Map<Key, String> raw, Map<Key, Object> parsed, String source) {
    this.raw = raw;
    this.parsed = parsed;
    this.source = source;
  }

  /**
   * Resolves the configuration.
   *
   * @param overrides runtime overrides (highest priority)
   * @param sysProps system properties
   * @param env environment variables
   * @param warnings receives one message per bad value
   */
  public static WeftConfig resolve(
      Map<String, String> overrides,
      Properties sysProps,
      Function<String, String> env,
      List<String> warnings) {
    Properties file = new Properties();
    String source = loadFile(sysProps, env, file, warnings);
    Map<Key, String> raw = new java.util.HashMap<>();
    Map<Key, Object> parsed = new java.util.HashMap<>();
    for (Key k : Key.values()) {
      String v = overrides.get(k.key());
      if (v == null) {
        v = sysProps.getProperty(k.key());
      }
      if (v == null) {
        v = env.apply(k.envName());
      }
      if (v == null) {
        v = file.getProperty(k.key());
      }
      Object value = v == null ? null : parse(k, v.trim());
      if (v != null && value == null) {
        warnings.add(
            "weft: bad value for "
                + k.key()
                + " (expected "
                + expected(k)
                + "); using the default '"
                + k.defaultValue()
                + "'");
      }
      if (value == null) {
        v = k.defaultValue();
        value = parse(k, v);
      }
      raw.put(k, v.trim());
      parsed.put(k, value);
    }
    return new WeftConfig(raw, parsed, source);
  }

  /** Resolves from this process's system properties and environment, logging the warnings. */
  public static WeftConfig fromEnvironment(Map<String, String> overrides) {
    List<String> warnings = new ArrayList<>();
    WeftConfig c = resolve(overrides, System.getProperties(), System::getenv, warnings);
    for (String w : warnings) {
      LOG.log(System.Logger.Level.WARNING, w);
    }
    return c;
  }

  private static String loadFile(
      Properties sysProps, Function<String, String> env, Properties into, List<String> warnings) {
    String path = sysProps.getProperty("weft.config");
    if (path == null) {
      path = env.apply("WEFT_CONFIG");
    }
    if (path != null && !path.isBlank()) {
      Path p = Path.of(path.trim());
      try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
        into.load(r);
        return p.toString();
      } catch (IOException e) {
        warnings.add("weft: cannot read weft.config file " + p + ": " + e.getMessage());
        return "defaults";
      }
    }
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = WeftConfig.class.getClassLoader();
    }
    try (InputStream in = cl == null ? null : cl.getResourceAsStream("weft.properties")) {
      if (in != null) {
        into.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        return "classpath:weft.properties";
      }
    } catch (IOException e) {
      warnings.add("weft: cannot read classpath weft.properties: " + e.getMessage());
    }
    return "defaults";
  }

  private static String expected(Key k) {
    return k.type() == Key.Type.CHOICE
        ? "one of " + String.join(", ", k.choices())
        : k.type().name().toLowerCase(Locale.ROOT);
  }

  static Object parse(Key k, String v) {
    switch (k.type()) {
      case CHOICE:
        for (String c : k.choices()) {
          if (c.equalsIgnoreCase(v)) {
            return c;
          }
        }
        return null;
      case BOOLEAN:
        if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")) {
          return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("no")) {
          return Boolean.FALSE;
        }
        return null;
      case LONG:
        try {
          long l = Long.parseLong(v);
          return l < 0 ? null : l;
        } catch (NumberFormatException e) {
          return null;
        }
      case LIST:
        List<String> items = new ArrayList<>();
        for (String s : v.split(",")) {
          if (!s.isBlank()) {
            items.add(s.trim());
          }
        }
        return Collections.unmodifiableList(items);
      default:
        return v;
    }
  }

  public boolean bool(Key k) {
    return (Boolean) parsed.get(k);
  }

  public long number(Key k) {
    return (Long) parsed.get(k);
  }

  public String string(Key k) {
    return (String) parsed.get(k);
  }

  @SuppressWarnings("unchecked")
  public List<String> list(Key k) {
    return (List<String>) parsed.get(k);
  }

  /** The raw text of a key's effective value (never log this for {@link Key#HMAC_KEYS}). */
  public String raw(Key k) {
    return raw.get(k);
  }

  /**
   * Where the file layer came from: a path, {@code classpath:weft.properties} or {@code defaults}.
   */
  public String source() {
    return source;
  }

  /** Runtime overrides, kept across re-reads of the file. */
  public static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();
}
