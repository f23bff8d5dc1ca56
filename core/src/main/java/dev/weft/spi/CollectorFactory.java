package dev.weft.spi;

import java.util.Map;

/**
 * Creates collectors and readers for one or more connection-string schemes. Implementations are
 * found with {@link java.util.ServiceLoader}; {@code file}, {@code log} and {@code memory} are
 * built in.
 */
public interface CollectorFactory {
  /** Whether this factory handles the scheme ({@code redis}, {@code mongodb}, ...). */
  boolean supports(String scheme);

  /**
   * A collector for the connection string.
   *
   * @param settings the effective Weft configuration, key to raw text (HMAC keys excluded)
   */
  Collector collector(String connectionString, Map<String, String> settings) throws Exception;

  /** A reader for the connection string. */
  TraceReader reader(String connectionString) throws Exception;
}
