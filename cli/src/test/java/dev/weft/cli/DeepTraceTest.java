package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.internal.PyJson;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2,500-deep parent chain ({@link SampleTraces#chain}) in every view: no view recurses as deep as
 * the data, and spans below the default limit of 256 levels are listed flat at level 256 under
 * their ancestor at level 255, in tree order.
 */
class DeepTraceTest {
  static final int N = 2500;
  static final String DEPTH_WARNING =
      "weft: trace deep nests 2500 levels deep; 2244 spans below level 256 shown at level 256"
          + " (--max-depth)\n";

  @TempDir Path dir;

  @BeforeEach
  void store() {
    SampleTraces.chain("deep", N).writeTo(dir);
  }

  static String id(int i) {
    return String.format("s%04d", i);
  }

  static String name(int i) {
    return String.format("n%04d", i);
  }

  /** Span {@code i}'s level as shown: its own up to 256, else 256. */
  static int shownDepth(int i) {
    return Math.min(i, 256) - 1;
  }

  static String ms(long micros) {
    return java.math.BigDecimal.valueOf(micros, 3).stripTrailingZeros().toPlainString() + " ms";
  }

  /** Span {@code i}'s self time: 1 µs at each end, inside its parent, but the last's. */
  static String self(int i) {
    return i == N ? "5.002 ms" : "0.002 ms";
  }

  /**
   * The tree line of span {@code i}: columns 772, 7, 4, 9, 8 and 8 wide. Every span is on the
   * critical path ({@code *}), analysed as the stored chain, not as listed past the depth limit.
   */
  static String treeLine(int i) {
    int d = shownDepth(i);
    String lead = d == 0 ? "" : "   ".repeat(d - 1) + (i == N || i <= 255 ? "└─ " : "├─ ");
    String span = "* " + lead + name(i);
    String start = "+" + ms(i - 1);
    String dur = ms(10_000 - 2L * (i - 1));
    return span
        + " ".repeat(772 - span.length())
        + "  svc      h     "
        + " ".repeat(9 - start.length())
        + start
        + "  "
        + " ".repeat(8 - dur.length())
        + dur
        + "  "
        + self(i);
  }

  @Test
  void treeTopAndDepthLimit() {
    CliRunner.Result r = CliRunner.run("trace", "show", "deep", "-c", "file://" + dir, "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(DEPTH_WARNING);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(5 + N);
    assertThat(lines.subList(0, 8))
        .containsExactly(
            "Trace deep: 2500 spans, 10 ms total",
            "Self time 10 ms: app 100 %",
            "Critical path 10 ms (spans marked *): app 100 %",
            "",
            "  SPAN" + " ".repeat(766) + "  SERVICE  HOST      START  DURATION      SELF",
            "* n0001" + " ".repeat(765) + "  svc      h         +0 ms     10 ms  0.002 ms",
            "* └─ n0002" + " ".repeat(762) + "  svc      h     +0.001 ms  9.998 ms  0.002 ms",
            "*    └─ n0003" + " ".repeat(759) + "  svc      h     +0.002 ms  9.996 ms  0.002 ms");
    String at254 = "* " + "   ".repeat(253) + "└─ n0255";
    String at255 = "* " + "   ".repeat(254);
    assertThat(lines.subList(5 + 254, 5 + 258))
        .containsExactly(
            at254
                + " ".repeat(772 - at254.length())
                + "  svc      h     +0.254 ms  9.492 ms  0.002 ms",
            at255 + "├─ n0256" + "  svc      h     +0.255 ms   9.49 ms  0.002 ms",
            at255 + "├─ n0257" + "  svc      h     +0.256 ms  9.488 ms  0.002 ms",
            at255 + "├─ n0258" + "  svc      h     +0.257 ms  9.486 ms  0.002 ms");
    assertThat(lines.get(5 + N - 1))
        .isEqualTo(at255 + "└─ n2500  svc      h     +2.499 ms  5.002 ms  5.002 ms");
    for (int i = 1; i <= N; i++) {
      assertThat(lines.get(4 + i)).isEqualTo(treeLine(i));
    }
  }

  @Test
  void htmlTopAndDepthLimit() {
    CliRunner.Result r = CliRunner.run("trace", "show", "deep", "-c", "file://" + dir, "--html");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(DEPTH_WARNING);
    List<String> rows = r.out().lines().filter(l -> l.startsWith("<summary class=\"grid")).toList();
    assertThat(rows).hasSize(N);
    assertThat(rows.get(0)).isEqualTo(htmlRow(1, "0.000", "100.000", "10 ms"));
    assertThat(rows.get(1)).isEqualTo(htmlRow(2, "0.010", "99.980", "9.998 ms"));
    assertThat(rows.get(254)).isEqualTo(htmlRow(255, "2.540", "94.920", "9.492 ms"));
    assertThat(rows.get(255)).isEqualTo(htmlRow(256, "2.550", "94.900", "9.49 ms"));
    assertThat(rows.get(256)).isEqualTo(htmlRow(257, "2.560", "94.880", "9.488 ms"));
    assertThat(rows.get(N - 1)).isEqualTo(htmlRow(N, "24.990", "50.020", "5.002 ms"));
    List<String> details =
        r.out().lines().filter(l -> l.startsWith("<details class=\"span")).toList();
    assertThat(details.get(0)).isEqualTo("<details class=\"span c7\" id=\"span-s0001\">");
    assertThat(details.get(N - 1)).isEqualTo("<details class=\"span c7\" id=\"span-s2500\">");
    assertThat(details).hasSize(N);
  }

  /** The row of span {@code i}, on the critical path ({@code cp}) with its self time. */
  static String htmlRow(int i, String left, String width, String dur) {
    int d = shownDepth(i);
    return "<summary class=\"grid cp\"><span class=\"name\" style=\"padding-left:"
        + d * 18
        + "px\" title=\""
        + name(i)
        + "\">"
        + (d > 0 ? "<span class=\"guide\">\u2514 </span>" : "")
        + name(i)
        + "</span><span class=\"svc\" title=\"svc \u00b7 h\">svc \u00b7 h</span>"
        + "<span class=\"track\"><span class=\"bar\" style=\"left:"
        + left
        + "%;width:"
        + width
        + "%\"></span></span><span class=\"dur\">"
        + dur
        + "</span><span class=\"dur self\">"
        + self(i)
        + "</span></summary>";
  }

  @Test
  void dotHasEveryNodeAndEdgesToTheDepthLimit() {
    CliRunner.Result r = CliRunner.run("trace", "show", "deep", "-c", "file://" + dir, "--dot");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(DEPTH_WARNING);
    StringBuilder want =
        new StringBuilder(
            "digraph \"deep\" {\n"
                + "  label=\"trace deep (10 ms)\\nself time 10 ms: app 100 %\\ncritical path"
                + " 10 ms (bold): app 100 %\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (int i = 1; i <= N; i++) {
      want.append("  \"")
          .append(id(i))
          .append("\" [label=\"")
          .append(name(i))
          .append("\\nsvc\\n")
          .append(ms(10_000 - 2L * (i - 1)))
          .append(" (self ")
          .append(self(i))
          .append(")\", style=\"rounded,bold\"];\n");
    }
    for (int i = 2; i <= N; i++) {
      want.append("  \"")
          .append(id(Math.min(i - 1, 255)))
          .append("\" -> \"")
          .append(id(i))
          .append("\" [style=bold];\n");
    }
    want.append("}\n");
    assertThat(r.out()).isEqualTo(want.toString());
    assertThat(r.out())
        .contains(
            "  \"s0254\" -> \"s0255\" [style=bold];\n  \"s0255\" -> \"s0256\" [style=bold];\n");
    assertThat(r.out()).contains("  \"s0255\" -> \"s0257\" [style=bold];\n");
  }

  @Test
  void jsonTopAndDepthLimit() throws Exception {
    Path out = dir.resolve("deep.json");

    CliRunner.Result r =
        CliRunner.run(
            "trace", "show", "deep", "-c", "file://" + dir, "--json", "-o", out.toString());

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(DEPTH_WARNING);
    List<String> top = new ArrayList<>();
    Map<String, Integer> traceIdLines = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        if (top.size() < 12) {
          top.add(l);
        }
        if (l.stripLeading().startsWith("\"trace_id\": \"s")) {
          traceIdLines.merge(l, 1, Integer::sum);
        }
      }
    }
    assertThat(top)
        .containsExactly(
            "{",
            "  \"info\": {",
            "    \"name\": \"total\",",
            "    \"started\": 0,",
            "    \"finished\": 10,",
            "    \"last_trace_started\": 2",
            "  },",
            "  \"children\": [",
            "    {",
            "      \"info\": {",
            "        \"name\": \"n0001\",",
            "        \"project\": \"shop\",");
    // A span node's keys are indented 2 * (3 + 2 * depth) spaces, its events' keys 4 more.
    for (int i : new int[] {1, 2, 254, 255, 256, 257, 1000, 2500}) {
      int indent = 2 * (3 + 2 * shownDepth(i));
      String node = " ".repeat(indent) + "\"trace_id\": \"" + id(i) + "\",";
      String event = " ".repeat(indent + 4) + "\"trace_id\": \"" + id(i) + "\",";
      assertThat(traceIdLines).containsEntry(node, 1).containsEntry(event, 2);
    }
    assertThat(traceIdLines.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3 * N);

    // The same report, read back: a chain of 255 spans, the last one with 2,245 children.
    ObjectMapper mapper =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(2000).build())
                .build());
    @SuppressWarnings("unchecked")
    Map<String, Object> report = mapper.readValue(out.toFile(), Map.class);
    List<?> level = (List<?>) report.get("children");
    for (int i = 1; i <= 255; i++) {
      assertThat(level).hasSize(1);
      Map<?, ?> node = (Map<?, ?>) level.get(0);
      assertThat(node.get("trace_id")).isEqualTo(id(i));
      level = (List<?>) node.get("children");
    }
    assertThat(level).hasSize(N - 255);
    for (int k = 0; k < level.size(); k++) {
      Map<?, ?> node = (Map<?, ?>) level.get(k);
      assertThat(node.get("trace_id")).isEqualTo(id(256 + k));
      assertThat(node.get("parent_id")).isEqualTo(id(255 + k));
      assertThat((List<?>) node.get("children")).isEmpty();
    }
    // Written with the same bytes as a direct dump of that report.
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(PyJson.dumps(report));
  }
}
