package dev.weft.testapp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's second start: the demo run twice, its JVMs sharing one {@code java.io.tmpdir}. The
 * first start weaves and keeps the woven driver classes; in the second no JVM starts the weaver,
 * and the traces have the same calls under the same callers. And weaving ahead: the demo's command
 * with {@code -Dweft.agent.prepare=true} keeps the woven classes without running the demo, and the
 * first real start then weaves nothing either.
 */
class AgentWarmStartIT {
  @TempDir Path work;

  /** Every "parent span name > child span name" of the traces stored in {@code dir}. */
  static Set<String> calls(Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> calls = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            events.add(json.readTree(line));
          }
        }
        Map<String, String> names = new HashMap<>();
        for (JsonNode e : events) {
          String n = e.path("name").asText();
          names.put(e.path("trace_id").asText(), n.substring(0, n.lastIndexOf('-')));
        }
        for (JsonNode e : events) {
          String n = e.path("name").asText();
          if (n.endsWith("-start")) {
            String parent = names.getOrDefault(e.path("parent_id").asText(), "(root)");
            calls.add(parent + " > " + n.substring(0, n.length() - "-start".length()));
          }
        }
      }
    }
    return calls;
  }

  private Path demo(String run, String extraJvmOptions) throws Exception {
    Path traces = work.resolve(run);
    // Inherited by the demo's child JVMs, which the demo starts with the same agent.
    String options =
        "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")) + extraJvmOptions;
    DemoIT.demo(
        work,
        run + ".out",
        Map.of("JAVA_TOOL_OPTIONS", options),
        170,
        "--traces",
        traces.toString());
    return traces;
  }

  /** The directory of kept entries under this test's {@code java.io.tmpdir}, checked. */
  private Path keptEntries() throws Exception {
    Path woven;
    try (Stream<Path> s = Files.walk(work.resolve("tmp"))) {
      woven =
          s.filter(
                  p ->
                      p.getFileName().toString().equals("com.zaxxer.hikari.HikariDataSource.woven"))
              .findFirst()
              .orElseThrow()
              .getParent();
    }
    try (Stream<Path> s = Files.list(woven)) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .contains(
              "jakarta.servlet.http.HttpServlet.woven",
              "redis.clients.jedis.Connection.woven",
              "com.mongodb.internal.connection.DefaultConnectionPool.woven",
              "org.hibernate.engine.jdbc.batch.internal.BatchImpl.woven");
    }
    return woven;
  }

  /**
   * Runs the demo again with a class-loading log per JVM: none of them starts the weaver, the queue
   * API defines a kept closure class, and the traces hold every call of the demo's flow.
   */
  private Set<String> demoWeavingNothing(String run) throws Exception {
    Path logs = Files.createDirectories(work.resolve(run + "-class-load"));
    Path traces = demo(run, " -Xlog:class+load:file=" + logs + "/%p.log");

    List<Path> jvms;
    try (Stream<Path> s = Files.list(logs)) {
      jvms = s.toList();
    }
    assertThat(jvms).hasSizeGreaterThanOrEqualTo(3); // the demo, the queue API, the subscriber
    boolean closureDefined = false;
    for (Path log : jvms) {
      String classes = Files.readString(log);
      assertThat(classes)
          .as(log.toString())
          .doesNotContain("org.aspectj.weaver.loadtime.ClassLoaderWeavingAdaptor ");
      closureDefined |= classes.contains("com.zaxxer.hikari.HikariDataSource$AjcClosure1 ");
    }
    assertThat(closureDefined).as("the kept closure class was defined in the queue API").isTrue();
    Set<String> calls = calls(traces);
    assertThat(calls)
        .contains(
            "http > wsgi",
            "wsgi > hibernate",
            "hibernate > db",
            "hibernate > pooling",
            "wsgi > redis",
            "wsgi > mongodb",
            "mongodb > pooling");
    return calls;
  }

  @Test
  void theSecondStart_weavesNothing_andTracesTheSameCalls() throws Exception {
    Path first = demo("first", "");
    keptEntries();
    assertThat(demoWeavingNothing("second")).isEqualTo(calls(first));
  }

  @Test
  void preparedAhead_theFirstStartWeavesNothing() throws Exception {
    Path traces = work.resolve("prepare");
    String out =
        DemoIT.demo(
            work,
            "prepare.out",
            Map.of(
                "JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir="
                    + Files.createDirectories(work.resolve("tmp"))
                    + " -Dweft.agent.prepare=true"),
            120,
            "--traces",
            traces.toString());
    Path woven = keptEntries();
    try (Stream<Path> s = Files.list(woven)) {
      long kept = s.filter(p -> p.toString().endsWith(".woven")).count();
      assertThat(out)
          .contains(
              "weft-agent: weft.agent.prepare: ",
              " included classes loaded, "
                  + kept
                  + " kept (woven, or read and left as they were)"
                  + " in "
                  + woven
                  + "; the application was not started")
          .doesNotContain("Trace ID:");
    }
    assertThat(traces).doesNotExist(); // the demo did not run

    demoWeavingNothing("first");
  }
}
