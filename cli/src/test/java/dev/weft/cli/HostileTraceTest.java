package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.internal.PyJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces that someone who can write to the store might leave there: parent cycles, a self-parented
 * span, characters that would drive a terminal or reorder text, nesting past the depth limit, and
 * more spans or bytes than the limits read.
 */
class HostileTraceTest {
  @TempDir Path dir;

  static final long MS = 1000;

  static final Map<String, Object> NONE = SampleTraces.map();

  /**
   * root ← child; a ↔ b (a's parent b, b's parent a) with d under b; self its own parent. a starts
   * first of its cycle, so it is cut there.
   */
  void cycles() {
    new SampleTraces.Builder("cyc")
        .span("r", "cyc", "root", "svc", "h", 0, 50 * MS, NONE, NONE)
        .span("c1", "r", "child", "svc", "h", MS, 2 * MS, NONE, NONE)
        .span("a", "b", "a", "svc", "h", 10 * MS, 20 * MS, NONE, NONE)
        .span("b", "a", "b", "svc", "h", 11 * MS, 19 * MS, NONE, NONE)
        .span("d", "b", "d", "svc", "h", 12 * MS, 13 * MS, NONE, NONE)
        .span("s", "s", "self", "svc", "h", 30 * MS, 31 * MS, NONE, NONE)
        .writeTo(dir);
  }

  static final String CYCLE_WARNING =
      "weft: trace cyc: 3 spans in 2 parent cycles; each cycle is cut at its earliest span,"
          + " which is shown at the top level\n";

  CliRunner.Result show(String id, String... more) {
    List<String> args = new ArrayList<>(List.of("trace", "show", id, "-c", "file://" + dir));
    Collections.addAll(args, more);
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void cycleSpansAreShownAtTheTopLevelInTheTreeWithAWarning() {
    cycles();

    CliRunner.Result r = show("cyc", "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(CYCLE_WARNING);
    assertThat(r.out())
        .isEqualTo(
            "Trace cyc: 6 spans, 50 ms total\n"
                + "Self time 61 ms: app 100 %\n"
                + "Critical path 50 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN      SERVICE  HOST   START  DURATION   SELF\n"
                + "* root      svc      h      +0 ms     50 ms  49 ms\n"
                + "* └─ child  svc      h      +1 ms      1 ms   1 ms\n"
                + "  a         svc      h     +10 ms     10 ms   2 ms\n"
                + "  └─ b      svc      h     +11 ms      8 ms   7 ms\n"
                + "     └─ d   svc      h     +12 ms      1 ms   1 ms\n"
                + "  self      svc      h     +30 ms      1 ms   1 ms\n");
  }

  @Test
  void cycleSpansAreInTheDotAndHtmlViews() {
    cycles();

    CliRunner.Result dot = show("cyc", "--dot");
    CliRunner.Result html = show("cyc", "--html");

    assertThat(dot.exitCode()).isEqualTo(0);
    assertThat(dot.err()).isEqualTo(CYCLE_WARNING);
    assertThat(dot.out())
        .isEqualTo(
            "digraph \"cyc\" {\n"
                + "  label=\"trace cyc (50 ms)\\nself time 61 ms: app 100 %\\ncritical path"
                + " 50 ms (bold): app 100 %\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"r\" [label=\"root\\nsvc\\n50 ms (self 49 ms)\", style=\"rounded,bold\"];\n"
                + "  \"c1\" [label=\"child\\nsvc\\n1 ms (self 1 ms)\", style=\"rounded,bold\"];\n"
                + "  \"a\" [label=\"a\\nsvc\\n10 ms (self 2 ms)\"];\n"
                + "  \"b\" [label=\"b\\nsvc\\n8 ms (self 7 ms)\"];\n"
                + "  \"d\" [label=\"d\\nsvc\\n1 ms (self 1 ms)\"];\n"
                + "  \"s\" [label=\"self\\nsvc\\n1 ms (self 1 ms)\"];\n"
                + "  \"r\" -> \"c1\" [style=bold];\n"
                + "  \"a\" -> \"b\";\n"
                + "  \"b\" -> \"d\";\n"
                + "}\n");
    assertThat(html.exitCode()).isEqualTo(0);
    assertThat(html.err()).isEqualTo(CYCLE_WARNING);
    Matcher m =
        Pattern.compile("<details class=\"span c7\" id=\"span-([^\"]*)\">").matcher(html.out());
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertThat(ids).containsExactly("r", "c1", "a", "b", "d", "s");
    assertThat(html.out())
        .contains(
            "<dt>parent_id</dt><dd>b</dd>",
            "<dt>parent_id</dt><dd>a</dd>",
            "<dt>parent_id</dt><dd>s</dd>");
  }

  @Test
  @SuppressWarnings("unchecked")
  void cycleSpansAreTopLevelInTheJsonReportWithTheirStoredParents() throws Exception {
    cycles();

    CliRunner.Result r = show("cyc", "--json");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEqualTo(CYCLE_WARNING);
    Map<String, Object> report = new ObjectMapper().readValue(r.out(), Map.class);
    List<Map<String, Object>> roots = (List<Map<String, Object>>) report.get("children");
    assertThat(roots).extracting(n -> n.get("trace_id")).containsExactly("r", "a", "s");
    assertThat(roots).extracting(n -> n.get("parent_id")).containsExactly("cyc", "b", "s");
    Map<String, Object> a = roots.get(1);
    Map<String, Object> aStart =
        (Map<String, Object>) ((Map<String, Object>) a.get("info")).get("meta.raw_payload.a-start");
    assertThat(aStart.get("parent_id")).isEqualTo("b");
    List<Map<String, Object>> underA = (List<Map<String, Object>>) a.get("children");
    assertThat(underA).extracting(n -> n.get("trace_id")).containsExactly("b");
    List<Map<String, Object>> underB = (List<Map<String, Object>>) underA.get(0).get("children");
    assertThat(underB).extracting(n -> n.get("trace_id")).containsExactly("d");
    assertThat((List<?>) underB.get(0).get("children")).isEmpty();
    assertThat((List<?>) roots.get(2).get("children")).isEmpty();
    assertThat(r.out()).isEqualTo(PyJson.dumps(report) + "\n");
  }

  @Test
  void aCycleWhoseSpansStartTogetherIsCutAtTheFirstStored() {
    new SampleTraces.Builder("tie")
        .span("y", "x", "y", "svc", "h", 0, 2 * MS, NONE, NONE)
        .span("x", "y", "x", "svc", "h", 0, MS, NONE, NONE)
        .writeTo(dir);

    CliRunner.Result r = show("tie", "--tree");

    assertThat(r.err())
        .isEqualTo(
            "weft: trace tie: 2 spans in 1 parent cycle; each cycle is cut at its earliest span,"
                + " which is shown at the top level\n");
    assertThat(r.out())
        .isEqualTo(
            "Trace tie: 2 spans, 2 ms total\n"
                + "Self time 2 ms: app 100 %\n"
                + "Critical path 2 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN  SERVICE  HOST  START  DURATION  SELF\n"
                + "* y     svc      h     +0 ms      2 ms  1 ms\n"
                + "* └─ x  svc      h     +0 ms      1 ms  1 ms\n");
  }

  /** A span whose name, service, host, payload and error carry U+202E, U+0085, ESC and U+2028. */
  void escapes() {
    new SampleTraces.Builder("esc")
        .span(
            "e1",
            "esc",
            "a\u202eb\u0085c\u001bd\u2028e",
            "svc\u202e",
            "h\u0085",
            0,
            MS,
            SampleTraces.map("note", "q\u202er\u2028s\u001b[2J"),
            SampleTraces.map("etype", "E\u001b[31m", "message", "m\u202en\u0085o\u2028p"))
        .writeTo(dir);
  }

  @Test
  void treeShowsControlAndBidiCharactersAsEscapes() {
    escapes();

    CliRunner.Result r = show("esc", "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo(
            "Trace esc: 1 span, 1 error, 1 ms total\n"
                + "Self time 1 ms: app 100 %\n"
                + "Critical path 1 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN                           SERVICE    HOST     START  DURATION  SELF\n"
                + "* a\\u202eb\\u0085c\\u001bd\\u2028e  svc\\u202e  h\\u0085  +0 ms      1 ms  1"
                + " ms  ERROR E\\u001b[31m: m\\u202en\\u0085o\\u2028p\n");
  }

  @Test
  void dotShowsControlAndBidiCharactersAsEscapes() {
    escapes();

    CliRunner.Result r = show("esc", "--dot");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo(
            "digraph \"esc\" {\n"
                + "  label=\"trace esc (1 ms)\\nself time 1 ms: app 100 %\\ncritical path 1"
                + " ms (bold): app 100 %\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"e1\" [label=\"a\\\\u202eb\\\\u0085c\\\\u001bd\\\\u2028e\\nsvc\\\\u202e\\n1 ms"
                + " (self 1 ms)\\nE\\\\u001b[31m\", color=red, fontcolor=red,"
                + " style=\"rounded,bold\"];\n"
                + "}\n");
  }

  @Test
  void htmlShowsControlAndBidiCharactersAsEscapedText() {
    escapes();

    CliRunner.Result r = show("esc", "--html");

    assertThat(r.exitCode()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines)
        .contains(
            "<details class=\"span c7 err\" id=\"span-e1\" open>",
            "<summary class=\"grid cp\"><span class=\"name\" style=\"padding-left:0px\""
                + " title=\"a\\u202eb\\u0085c\\u001bd\\u2028e\">a\\u202eb\\u0085c\\u001bd\\u2028e"
                + "<span class=\"etype\">E\\u001b[31m</span></span><span class=\"svc\""
                + " title=\"svc\\u202e \u00b7 h\\u0085\">svc\\u202e \u00b7 h\\u0085</span>"
                + "<span class=\"track\"><span class=\"bar\" style=\"left:0.000%;width:100.000%\">"
                + "</span></span><span class=\"dur\">1 ms</span>"
                + "<span class=\"dur self\">1 ms</span></summary>",
            "<p class=\"error\">E\\u001b[31m: m\\u202en\\u0085o\\u2028p</p>",
            "  &quot;name&quot;: &quot;a\\u202eb\\u0085c\\u001bd\\u2028e-start&quot;,",
            "    &quot;note&quot;: &quot;q\\u202er\\u2028s\\u001b[2J&quot;,");
    for (char c : new char[] {'\u202e', '\u0085', '\u001b', '\u2028'}) {
      assertThat(r.out().indexOf(c)).isEqualTo(-1);
    }
  }

  @Test
  void jsonEscapesAsPythonDoes() {
    escapes();

    CliRunner.Result r = show("esc", "--json");

    assertThat(r.exitCode()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines)
        .contains(
            "        \"name\": \"a\\u202eb\\u0085c\\u001bd\\u2028e\",",
            "        \"service\": \"svc\\u202e\",",
            "        \"host\": \"h\\u0085\",",
            "          \"name\": \"a\\u202eb\\u0085c\\u001bd\\u2028e-start\",",
            "            \"note\": \"q\\u202er\\u2028s\\u001b[2J\",",
            "            \"etype\": \"E\\u001b[31m\",",
            "            \"message\": \"m\\u202en\\u0085o\\u2028p\",",
            "        \"exception\": \"E\\u001b[31m\"");
    for (char c : r.out().toCharArray()) {
      assertThat(c == '\n' || (c >= 0x20 && c < 0x7f)).as("U+%04X", (int) c).isTrue();
    }
  }

  @Test
  void theBaseIdIsEscapedInMessagesToo() {
    CliRunner.Result r = show("x\u202ey", "--tree");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("weft: trace x\\u202ey not found in file://" + dir + "\n");
  }

  /** r ← a ← b ← c ← d, and e under a after b's subtree. */
  void nested() {
    new SampleTraces.Builder("flat")
        .span("r", "flat", "r", "svc", "h", 0, 10 * MS, NONE, NONE)
        .span("a", "r", "a", "svc", "h", MS, 9 * MS, NONE, NONE)
        .span("b", "a", "b", "svc", "h", 2 * MS, 5 * MS, NONE, NONE)
        .span("c", "b", "c", "svc", "h", 3 * MS, 4 * MS, NONE, NONE)
        .span("d", "c", "d", "svc", "h", 3 * MS + 500, 4 * MS, NONE, NONE)
        .span("e", "a", "e", "svc", "h", 6 * MS, 7 * MS, NONE, NONE)
        .writeTo(dir);
  }

  @Test
  void spansBelowMaxDepthAreListedFlatAtItInTreeOrder() {
    nested();

    CliRunner.Result r = show("flat", "--tree", "--max-depth", "3");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err())
        .isEqualTo(
            "weft: trace flat nests 5 levels deep; 2 spans below level 3 shown at level 3"
                + " (--max-depth)\n");
    assertThat(r.out())
        .isEqualTo(
            "Trace flat: 6 spans, 10 ms total\n"
                + "Self time 10 ms: app 100 %\n"
                + "Critical path 10 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN     SERVICE  HOST    START  DURATION    SELF\n"
                + "* r        svc      h       +0 ms     10 ms    2 ms\n"
                + "* └─ a     svc      h       +1 ms      8 ms    4 ms\n"
                + "*    ├─ b  svc      h       +2 ms      3 ms    2 ms\n"
                + "*    ├─ c  svc      h       +3 ms      1 ms  0.5 ms\n"
                + "*    ├─ d  svc      h     +3.5 ms    0.5 ms  0.5 ms\n"
                + "*    └─ e  svc      h       +6 ms      1 ms    1 ms\n");
  }

  @Test
  void maxDepthOneListsEverySpanAtTheTopLevel() {
    nested();

    CliRunner.Result r = show("flat", "--tree", "--max-depth", "1");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err())
        .isEqualTo(
            "weft: trace flat nests 5 levels deep; 5 spans below level 1 shown at level 1"
                + " (--max-depth)\n");
    assertThat(r.out())
        .isEqualTo(
            "Trace flat: 6 spans, 10 ms total\n"
                + "Self time 10 ms: app 100 %\n"
                + "Critical path 10 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN  SERVICE  HOST    START  DURATION    SELF\n"
                + "* r     svc      h       +0 ms     10 ms    2 ms\n"
                + "* a     svc      h       +1 ms      8 ms    4 ms\n"
                + "* b     svc      h       +2 ms      3 ms    2 ms\n"
                + "* c     svc      h       +3 ms      1 ms  0.5 ms\n"
                + "* d     svc      h     +3.5 ms    0.5 ms  0.5 ms\n"
                + "* e     svc      h       +6 ms      1 ms    1 ms\n");
  }

  @Test
  void aTraceWithinMaxDepthIsUnchanged() {
    nested();

    CliRunner.Result limited = show("flat", "--json", "--max-depth", "5");
    CliRunner.Result unlimited = show("flat", "--json");

    assertThat(limited.err()).isEmpty();
    assertThat(limited.out()).isEqualTo(unlimited.out());
    assertThat(unlimited.out().lines().filter(l -> l.endsWith("\"children\": []")).count())
        .isEqualTo(2);
  }

  /** A root and four children, each with a start and a stop event: ten events in all. */
  void wide() {
    SampleTraces.Builder b =
        new SampleTraces.Builder("lim").span("r", "lim", "r", "svc", "h", 0, 10 * MS, NONE, NONE);
    for (int i = 1; i <= 4; i++) {
      b.span("c" + i, "r", "c" + i, "svc", "h", i * MS, i * MS + 500, NONE, NONE);
    }
    b.writeTo(dir);
  }

  @Test
  void spansPastMaxSpansAreLeftOutWithAMessage() {
    wide();

    CliRunner.Result r = show("lim", "--tree", "--max-spans", "3");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err())
        .isEqualTo(
            "weft: trace lim has more than 3 spans; read the first 3 (--max-spans), 2 spans left"
                + " out\n");
    assertThat(r.out())
        .isEqualTo(
            "Trace lim: 3 spans, 10 ms total\n"
                + "Self time 10 ms: app 100 %\n"
                + "Critical path 10 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN   SERVICE  HOST  START  DURATION    SELF\n"
                + "* r      svc      h     +0 ms     10 ms    9 ms\n"
                + "* ├─ c1  svc      h     +1 ms    0.5 ms  0.5 ms\n"
                + "* └─ c2  svc      h     +2 ms    0.5 ms  0.5 ms\n");
  }

  @Test
  void eventsPastMaxBytesAreLeftOutWithAMessage() throws Exception {
    wide();
    List<String> stored =
        Files.readAllLines(dir.resolve("lim.jsonl"), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    assertThat(stored).hasSize(10);
    long three = 0;
    for (String l : stored.subList(0, 3)) {
      three += l.getBytes(StandardCharsets.UTF_8).length;
    }

    CliRunner.Result r = show("lim", "--tree", "--max-bytes", String.valueOf(three + 10));

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err())
        .isEqualTo(
            "weft: trace lim has more than "
                + (three + 10)
                + " bytes of events; read the first "
                + three
                + " bytes (--max-bytes), 7 events left out\n");
    assertThat(r.out())
        .isEqualTo(
            "Trace lim: 2 spans, 1.5 ms total\n"
                + "Self time 0.5 ms: app 100 %\n"
                + "Critical path 1.5 ms (spans marked *): app 100 %\n"
                + "\n"
                + "  SPAN   SERVICE  HOST  START  DURATION    SELF\n"
                + "* r      svc      h     +0 ms         -       -  (no stop event)\n"
                + "* └─ c1  svc      h     +1 ms    0.5 ms  0.5 ms\n");
  }

  @Test
  void limitsBelowOneAreUsageErrors() {
    CliRunner.Result r = show("lim", "--tree", "--max-depth", "0");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElse("")).isEqualTo("--max-depth must be at least 1");
  }

  @Test
  void theJsonWriterDoesNotRecurse() {
    int n = 200_000;
    Object list = new ArrayList<>();
    Object map = new java.util.LinkedHashMap<>();
    for (int i = 1; i < n; i++) {
      list = List.of(list);
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("k", map);
      map = m;
    }

    assertThat(PyJson.dumps(list, 0)).isEqualTo("[\n".repeat(n - 1) + "[]" + "\n]".repeat(n - 1));
    assertThat(PyJson.dumps(map, 0))
        .isEqualTo("{\n\"k\": ".repeat(n - 1) + "{}" + "\n}".repeat(n - 1));
  }
}
