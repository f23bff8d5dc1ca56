package dev.weft.internal.headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads the OSProfiler fixtures from the directory named by {@code weft.fixtures}. */
final class Fixtures {
  private Fixtures() {}

  static Path dir() {
    String d = System.getProperty("weft.fixtures");
    if (d == null) {
      throw new IllegalStateException("system property weft.fixtures is not set");
    }
    return Path.of(d);
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(dir().resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
