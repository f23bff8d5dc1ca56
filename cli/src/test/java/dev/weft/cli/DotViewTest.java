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
                + "  label=\"trace 11111111-1111-1111-1111-111111111111 (40 ms)\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\""
                + " [label=\"wsgi\\nZaqar-server\\n40 ms\"];\n"
                + "  \"bbbbbbbb-0000-0000-0000-000000000002\""
                + " [label=\"mongodb_message_controller\\nZaqar-server\\n12 ms\"];\n"
                + "  \"cccccccc-0000-0000-0000-000000000003\""
                + " [label=\"mongodb_message_controller\\nZaqar-server\\n11 ms\\nKeyError\","
                + " color=red, fontcolor=red];\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\" ->"
                + " \"bbbbbbbb-0000-0000-0000-000000000002\";\n"
                + "  \"aaaaaaaa-0000-0000-0000-000000000001\" ->"
                + " \"cccccccc-0000-0000-0000-000000000003\";\n"
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
                + "  label=\"trace t\\\"1 (1.5 ms)\";\n"
                + "  labelloc=t;\n"
                + "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                + "  \"id\\\"1\" [label=\"a\\\"b\\\\c\\nsvc\\\\u0007\\n1.5 ms\"];\n"
                + "  \"id\\\"2\" [label=\"child\\nsvc\\n0.8 ms\"];\n"
                + "  \"id\\\"1\" -> \"id\\\"2\";\n"
                + "}\n");
  }
}
