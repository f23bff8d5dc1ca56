package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.weft.internal} is Weft's own: core and the integrations use it, nothing else does. The
 * command line, the collectors, the test kit, the test app and the examples are written against the
 * public API ({@code dev.weft}, {@code dev.weft.spi}, {@code dev.weft.testing}) only, as a user's
 * code is.
 */
class InternalsFenceTest {
  static final List<String> PUBLIC_ONLY =
      List.of(
          "cli/src/main",
          "collectors/src/main",
          "testing/src/main",
          "test-app/src/main",
          "test-app/src/test",
          "examples/plain-maven/src",
          "examples/agent-jetty-jedis/src",
          "examples/spring-boot-4/src",
          "examples/spring-boot-3/src");

  @Test
  void onlyCoreAndTheIntegrationsNameInternalTypes() throws IOException {
    Path root = Path.of(System.getProperty("weft.module.dir"), "..").normalize();
    List<String> offenders = new ArrayList<>();
    for (String dir : PUBLIC_ONLY) {
      Path d = root.resolve(dir);
      assertThat(d).as(dir).isDirectory();
      try (Stream<Path> files = Files.walk(d)) {
        files
            .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".aj"))
            .forEach(
                f -> {
                  try {
                    if (Files.readString(f, StandardCharsets.UTF_8).contains("dev.weft.internal")) {
                      offenders.add(root.relativize(f).toString());
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
    assertThat(offenders).isEmpty();
  }
}
