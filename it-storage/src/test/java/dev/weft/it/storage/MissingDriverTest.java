package dev.weft.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code requires=} in the shipped aop.xml: a JVM under the agent whose class path lacks Jedis,
 * Hibernate, HikariCP and commons-pool2 starts without weaver errors, and the MongoDB aspect (whose
 * driver is there) still traces.
 */
class MissingDriverTest {
  static final List<String> ABSENT =
      List.of(
          "/redis/clients/jedis/",
          "/org/hibernate/",
          "/com/zaxxer/",
          "/org/apache/commons/commons-pool2/");

  @Test
  void aspectOfAMissingDriverIsSwitchedOffAlone() throws Exception {
    String weaver = System.getProperty("weft.weaver.jar");
    assertThat(weaver).isNotBlank();
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> ABSENT.stream().noneMatch(a -> e.replace('\\', '/').contains(a)))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).doesNotContain("/redis/clients/jedis/").doesNotContain("hibernate-core");
    Path out = Files.createTempFile("weft-mongo-only", ".out");
    Path err = Files.createTempFile("weft-mongo-only", ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + weaver);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(MongoOnlyMain.class.getName());
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(stdout.trim())
        .isEqualTo("events: pooling-start pooling-stop mongodb-start mongodb-stop");
    assertThat(stderr.lines().filter(l -> l.contains("error") || l.contains("Exception")))
        .as(stderr)
        .isEmpty();
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }
}
