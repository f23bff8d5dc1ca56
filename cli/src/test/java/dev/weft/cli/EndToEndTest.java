package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records a trace through core's public API into the file collector, then reads it back with the
 * {@code weft} command as OSProfiler's report, a tree and a list entry.
 */
class EndToEndTest {
  static Path dir;

  @BeforeAll
  static void configure() throws Exception {
    dir = Files.createTempDirectory("weft-cli-e2e");
    Weft.set("weft.connection_string", "file://" + dir);
    Weft.set("weft.project", "shop");
    Weft.set("weft.service", "e2e-service");
    Weft.set("weft.host", "e2e-host");
    Weft.set("weft.enabled", "true");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  @SuppressWarnings("unchecked")
  void tracedCodeReadsBackAsReportTreeAndListEntry() throws Exception {
    String base = UUID.randomUUID().toString();
    String handler;
    String load;
    String query;
    String save;
    IllegalStateException failure = new IllegalStateException("disk full");
    try (TraceScope t = Trace.begin(base, null, null)) {
      try (Span h = Trace.span("handler")) {
        h.info("user", "alice");
        handler = h.id();
        try (Span l = Trace.span("load")) {
          load = l.id();
          try (Span q = Trace.span("query")) {
            query = q.id();
          }
        }
        try (Span s = Trace.span("save")) {
          save = s.id();
          s.error(failure);
        }
      }
    }
    assertThat(Weft.flush()).isTrue();

    CliRunner.Result json = CliRunner.run("trace", "show", base, "-c", "file://" + dir, "--json");

    assertThat(json.exitCode()).isEqualTo(0);
    assertThat(json.err()).isEmpty();
    Map<String, Object> report = new ObjectMapper().readValue(json.out(), Map.class);
    assertThat(report.keySet()).containsExactly("info", "children", "stats");
    assertThat(((Map<String, Object>) report.get("info")).get("name")).isEqualTo("total");
    List<Map<String, Object>> roots = (List<Map<String, Object>>) report.get("children");
    assertThat(roots).hasSize(1);
    Map<String, Object> h = roots.get(0);
    assertNode(h, "handler", handler, base);
    Map<String, Object> hStart =
        (Map<String, Object>) info(h).get("meta.raw_payload.handler-start");
    assertThat(hStart.get("info")).isEqualTo(Map.of("user", "alice", "host", "e2e-host"));
    assertThat(hStart.get("project")).isEqualTo("shop");
    assertThat(hStart.get("service")).isEqualTo("e2e-service");
    assertThat(hStart.get("base_id")).isEqualTo(base);

    List<Map<String, Object>> hc = children(h);
    assertThat(hc).hasSize(2);
    assertNode(hc.get(0), "load", load, handler);
    assertNode(hc.get(1), "save", save, handler);
    List<Map<String, Object>> lc = children(hc.get(0));
    assertThat(lc).hasSize(1);
    assertNode(lc.get(0), "query", query, load);
    assertThat(children(lc.get(0))).isEmpty();
    assertThat(children(hc.get(1))).isEmpty();

    assertThat(info(h).get("exception")).isEqualTo("None");
    assertThat(info(hc.get(1)).get("exception")).isEqualTo("IllegalStateException");
    Map<String, Object> saveStop =
        (Map<String, Object>) info(hc.get(1)).get("meta.raw_payload.save-stop");
    assertThat(saveStop.get("info"))
        .isEqualTo(
            Map.of("etype", "IllegalStateException", "message", "disk full", "host", "e2e-host"));
    Map<String, Object> stats = (Map<String, Object>) report.get("stats");
    assertThat(stats.keySet()).containsExactlyInAnyOrder("handler", "load", "query", "save");
    for (String name : List.of("handler", "load", "query", "save")) {
      assertThat(((Map<String, Object>) stats.get(name)).get("count")).isEqualTo(1);
    }

    CliRunner.Result tree = CliRunner.run("trace", "show", base, "-c", "file://" + dir, "--tree");
    assertThat(tree.exitCode()).isEqualTo(0);
    List<String> lines = tree.out().lines().toList();
    assertThat(lines.get(0)).startsWith("Trace " + base + ": 4 spans, 1 error, ");
    // The root is on the critical path (*); whether its children are depends on the timing.
    assertThat(lines.subList(5, 9))
        .satisfiesExactly(
            l -> assertThat(l).startsWith("* handler      e2e-service  e2e-host  "),
            l -> assertThat(l).matches("[* ] ├─ load      e2e-service  e2e-host  .*"),
            l -> assertThat(l).matches("[* ] │  └─ query  e2e-service  e2e-host  .*"),
            l ->
                assertThat(l)
                    .matches("[* ] └─ save      e2e-service  e2e-host  .*")
                    .endsWith("  ERROR IllegalStateException: disk full"));

    CliRunner.Result list = CliRunner.run("trace", "list", "-c", "file://" + dir);
    assertThat(list.exitCode()).isEqualTo(0);
    assertThat(list.out()).contains(base + "  " + hStart.get("timestamp") + "\n");
    CliRunner.Result errors =
        CliRunner.run("trace", "list", "-c", "file://" + dir, "--error-trace");
    assertThat(errors.out()).contains(base + "  ");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> info(Map<String, Object> node) {
    return (Map<String, Object>) node.get("info");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> children(Map<String, Object> node) {
    return (List<Map<String, Object>>) node.get("children");
  }

  private static void assertNode(Map<String, Object> node, String name, String id, String parent) {
    assertThat(info(node).get("name")).isEqualTo(name);
    assertThat(node.get("trace_id")).isEqualTo(id);
    assertThat(node.get("parent_id")).isEqualTo(parent);
  }
}
