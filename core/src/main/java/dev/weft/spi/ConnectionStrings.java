package dev.weft.spi;

import dev.weft.internal.collect.Collectors;

/** Helpers for collectors and tools that take a {@code weft.connection_string}. */
public final class ConnectionStrings {
  private ConnectionStrings() {}

  /** The default: {@code file://<java.io.tmpdir>/weft-traces}. */
  public static String defaultValue() {
    return Collectors.defaultConnectionString();
  }

  /** The connection string with any password replaced by {@code ***}, for messages and logs. */
  public static String redact(String connectionString) {
    return Collectors.redact(connectionString);
  }
}
