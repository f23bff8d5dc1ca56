package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotViewTest {
  @TempDir Path dir;

  @Test
  void zaqarRequestAsDot() throws Exception {
    SampleTraces.copyZaqar(dir);

    CliRunner.Result r =
        CliRunner.run("trace", "show", SampleTraces.ZAQAR_ID, "-c", "file://" + dir, "--dot");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "digraph \"11111111-1111-1111-1111-111111111111\" {\n"
                + "  label=\"trace 11111111-1111-1111-1111-111111111111 (40 ms)\\nself time"
                + " 40 ms: entry 43 % · app 57 %\\ncritical path 40 ms (bold): entry 43 % ·"
                + " app 57 %\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\" [label=\"wsgi POST"
                + " /v2/queues/q1/messages\\nZaqar-server\\n40 ms (self 17 ms)\","
                + " style=\"rounded,bold\"];\n"
                + "  \"bbbbbbbb-0000-0000-0000-000000000002\""
                + " [label=\"mongodb_message_controller"
                + " MessageController.post\\nZaqar-server\\n12 ms (self 12 ms)\","
                + " style=\"rounded,bold\"];\n"
                + "  \"cccccccc-0000-0000-0000-000000000003\""
                + " [label=\"mongodb_message_controller"
                + " MessageController.get\\nZaqar-server\\n11 ms (self 11 ms)\\nKeyError\","
                + " color=red, fontcolor=red, style=\"rounded,bold\"];\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\" ->"
                + " \"bbbbbbbb-0000-0000-0000-000000000002\" [style=bold];\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\" ->"
                + " \"cccccccc-0000-0000-0000-000000000003\" [style=bold];\n"
                + "}\n");
  }

  @Test
  void quotesBackslashesAndControlCharactersAreEscaped() {
    new SampleTraces.Builder("t\"1")
        .span(
            "id\"1",
            "t\"1",
            "a\"b\\c",
            "svc\u0007",
            "h",
            0,
            1500,
            SampleTraces.map(),
            SampleTraces.map())
        .span(
            "id\"2", "id\"1", "child", "svc", "h", 100, 900, SampleTraces.map(), SampleTraces.map())
        .writeTo(dir);

    CliRunner.Result r = CliRunner.run("trace", "show", "t\"1", "-c", "file://" + dir, "--dot");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo(
            "digraph \"t\\\"1\" {\n"
                + "  label=\"trace t\\\"1 (1.5 ms)\\nself time 1.5 ms: app 100 %\\ncritical"
                + " path 1.5 ms (bold): app 100 %\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"id\\\"1\" [label=\"a\\\"b\\\\c\\nsvc\\\\u0007\\n1.5 ms (self 0.7 ms)\","
                + " style=\"rounded,bold\"];\n"
                + "  \"id\\\"2\" [label=\"child\\nsvc\\n0.8 ms (self 0.8 ms)\","
                + " style=\"rounded,bold\"];\n"
                + "  \"id\\\"1\" -> \"id\\\"2\" [style=bold];\n"
                + "}\n");
  }
}
