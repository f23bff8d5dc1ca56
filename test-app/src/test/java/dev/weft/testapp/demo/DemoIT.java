package dev.weft.testapp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo command, run as a user runs it: {@code java -javaagent:target/aspectjweaver.jar
 * -jar target/weft-test-app.jar demo}, on the packaged jar.
 */
class DemoIT {
  @TempDir Path work;

  @Test
  void theDemoRunsToCompletionAndPrintsEveryTraceAsATree() throws Exception {
    Path target = Path.of(System.getProperty("weft.target", "target")).toAbsolutePath();
    Path traces = work.resolve("traces");
    Path output = work.resolve("demo.out");
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-javaagent:" + target.resolve("aspectjweaver.jar"),
                "-jar",
                target.resolve("weft-test-app.jar").toString(),
                "demo",
                "--traces",
                traces.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean done = p.waitFor(170, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(output);
    assertThat(done).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    // One profiled trace per client command; each is printed with its id and its tree.
    Matcher ids = Pattern.compile("(?m)^Trace ID: ([0-9a-f-]{36})$").matcher(out);
    List<String> baseIds = new ArrayList<>();
    while (ids.find()) {
      baseIds.add(ids.group(1));
    }
    assertThat(baseIds).hasSizeGreaterThanOrEqualTo(18).doesNotHaveDuplicates();
    for (String id : baseIds) {
      assertThat(out).contains("Display trace with command: weft trace show --html " + id);
      assertThat(traces.resolve(id + ".jsonl")).exists();
    }
    try (Stream<Path> files = Files.list(traces)) {
      assertThat(files.count()).isEqualTo(baseIds.size());
    }
    assertThat(out)
        .contains("-- 1. pool-register mongo  (201)")
        .contains("-- 2. pool-register redis  (201)")
        .contains("-- 3. pool-register sql  (201)")
        .contains("QueueClient.registerPool [client] ")
        .contains("function.name=dev.weft.testapp.client.QueueClient.postMessages")
        .contains(
            "message-post no-such-queue (fails: unknown queue)  (404 Not found: Queue"
                + " no-such-queue does not exist.)")
        .contains("the subscriber received 2 notification(s)")
        .containsPattern("queue-create demo-\\d+ -> pool mongo")
        .containsPattern("queue-create demo-\\d+ -> pool redis")
        .containsPattern("queue-create demo-\\d+ -> pool sql")
        .contains("== Done in ");
    assertThat(out).doesNotContain("(no spans stored)").doesNotContain(Demo.DEMO_KEY);
  }
}
