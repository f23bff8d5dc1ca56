package dev.weft.testapp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo command, run as a user runs it: {@code java -jar <path>/weft-test-app.jar
 * demo}, from another directory and with no {@code -javaagent} flag (the jar starts Weft's agent
 * itself), on the packaged jar.
 */
class DemoIT {
  @TempDir Path work;

  /** The span names of a stored trace: its event names without {@code -start}/{@code -stop}. */
  static Set<String> spanNames(Path jsonl) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (!line.isBlank()) {
        String n = json.readTree(line).path("name").asText();
        names.add(n.substring(0, n.lastIndexOf('-')));
      }
    }
    return names;
  }

  /**
   * Runs {@code java -jar <target>/weft-test-app.jar demo <args>} in {@code work}, with {@code env}
   * added to its environment; checks that it ends within {@code seconds} with status 0 and returns
   * its output (also in {@code work/<output>}).
   */
  static String demo(Path work, String output, Map<String, String> env, int seconds, String... args)
      throws Exception {
    Path target = Path.of(System.getProperty("weft.target", "target")).toAbsolutePath();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-jar");
    cmd.add(target.resolve("weft-test-app.jar").toString());
    cmd.add("demo");
    cmd.addAll(List.of(args));
    Path out = work.resolve(output);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String text = Files.readString(out);
    assertThat(done).as(text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void theDemoRunsToCompletionAndPrintsEveryTraceAsATree() throws Exception {
    Path traces = work.resolve("traces");
    String out = demo(work, "demo.out", Map.of(), 170, "--traces", traces.toString());

    // One profiled trace per client command; each is printed with its id and its tree.
    Matcher ids = Pattern.compile("(?m)^Trace ID: ([0-9a-f-]{36})$").matcher(out);
    List<String> baseIds = new ArrayList<>();
    while (ids.find()) {
      baseIds.add(ids.group(1));
    }
    assertThat(baseIds).hasSizeGreaterThanOrEqualTo(22).doesNotHaveDuplicates();
    // Each trace says where its time went: shares of self time and of the critical path.
    assertThat(Pattern.compile("(?m)^Self time [0-9.]+ [mµ]?s: ").matcher(out).results().count())
        .isEqualTo(baseIds.size());
    assertThat(
            Pattern.compile("(?m)^Critical path [0-9.]+ [mµ]?s \\(spans marked \\*\\): ")
                .matcher(out)
                .results()
                .count())
        .isEqualTo(baseIds.size());
    for (String id : baseIds) {
      assertThat(out).contains("Display trace with command: weft trace show --html " + id);
      assertThat(traces.resolve(id + ".jsonl")).exists();
    }
    try (Stream<Path> files = Files.list(traces)) {
      assertThat(files.filter(f -> f.toString().endsWith(".jsonl")).count())
          .isEqualTo(baseIds.size());
    }

    // Each trace's HTML view (weft trace show --html's page) names every span of the trace and
    // refers to nothing on the network.
    try (Stream<Path> pages = Files.list(traces.resolve("html"))) {
      assertThat(pages.count()).isEqualTo(baseIds.size());
    }
    // Every category is in the demo's trees: the drivers were woven without a -javaagent flag.
    Set<String> all = new TreeSet<>();
    for (String id : baseIds) {
      all.addAll(spanNames(traces.resolve(id + ".jsonl")));
    }
    assertThat(all).contains("wsgi", "http", "mongodb", "redis", "db", "hibernate", "pooling");
    assertThat(out).contains("weft-agent 0.1.0-SNAPSHOT: enabled=");
    for (String id : baseIds) {
      Path page = traces.resolve("html").resolve(id + ".html");
      assertThat(out).contains("HTML view: " + page);
      String html = Files.readString(page);
      assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Weft trace " + id);
      Set<String> names = spanNames(traces.resolve(id + ".jsonl"));
      assertThat(names).isNotEmpty();
      for (String name : names) {
        assertThat(html).as(id).contains("title=\"" + name + "\">");
      }
      assertThat(html).doesNotContain("http://").doesNotContain("https://");
    }
    assertThat(out)
        .contains("HTML views: " + traces.resolve("html") + "/<trace id>.html")
        .contains(
            "Show one with: WEFT_CONNECTION_STRING=file://"
                + traces
                + " weft trace show --html <trace id>");
    assertThat(out)
        .contains("-- 1. pool-register mongo  (201)")
        .contains("-- 2. pool-register redis  (201)")
        .contains("-- 3. pool-register sql  (201)")
        .contains("QueueClient.registerPool [client] ")
        .contains("function.name=dev.weft.testapp.client.QueueClient.postMessages")
        .contains(
            "message-get no-such-queue (fails: unknown queue)  (404 Not found: Queue"
                + " no-such-queue does not exist for project weft-test-app)")
        .containsPattern("-- \\d+\\. claim-create demo-\\d+ \\(1 message, ttl 60 s\\)  \\(201\\)")
        .containsPattern("-- \\d+\\. claim-delete demo-\\d+ \\(releases it\\)  \\(204\\)")
        .contains("QueueClient.createClaim [client] ")
        .contains("the subscriber received 2 notification(s)")
        .containsPattern("queue-create demo-\\d+ -> pool mongo")
        .containsPattern("queue-create demo-\\d+ -> pool redis")
        .containsPattern("queue-create demo-\\d+ -> pool sql")
        .contains("== Done in ");
    assertThat(out).doesNotContain("(no spans stored)").doesNotContain(Demo.DEMO_KEY);

    // mongodb, redis and sql are off in the services: the traces that asked for them have their
    // spans, the one command sent again without them has none, and only the pooling spans remain
    assertThat(out)
        .contains(
            "mongodb, redis and sql are off in every service; each client command asks for them"
                + " for its own trace (--trace-categories mongodb,redis,sql), but one");
    Matcher plain =
        Pattern.compile(
                "(?m)^-- \\d+\\. message-list (demo-\\d+) \\(no --trace-categories\\)"
                    + "  \\(200\\)\\RTrace ID: ([0-9a-f-]{36})$")
            .matcher(out);
    assertThat(plain.find()).as(out).isTrue();
    Matcher deep =
        Pattern.compile(
                "(?m)^-- \\d+\\. message-list "
                    + plain.group(1)
                    + "  \\(200\\)\\RTrace ID: ([0-9a-f-]{36})$")
            .matcher(out);
    assertThat(deep.find()).as(out).isTrue();
    assertThat(spanNames(traces.resolve(deep.group(1) + ".jsonl"))).contains("redis", "pooling");
    Set<String> without = spanNames(traces.resolve(plain.group(2) + ".jsonl"));
    assertThat(without).contains("wsgi", "http", "pooling");
    assertThat(without).doesNotContain("redis", "mongodb", "db", "hibernate");
  }
}
