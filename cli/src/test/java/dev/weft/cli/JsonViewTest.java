package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.internal.PyJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonViewTest {
  @TempDir Path dir;

  @Test
  void jsonOnStdoutIsOsprofilersOwnReportPlusNewline() throws Exception {
    SampleTraces.copyZaqar(dir);
    byte[] expected =
        Files.readAllBytes(SampleTraces.FIXTURES.resolve("zaqar-request.report.json"));

    CliRunner.Result r =
        CliRunner.run(
            "trace",
            "show",
            SampleTraces.ZAQAR_ID,
            "--connection-string",
            "file://" + dir,
            "--json");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    // osprofiler trace show --json print()s the report: its text plus one newline.
    assertThat(r.out().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(
            (new String(expected, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonWithOutIsByteIdenticalToOsprofilersReportFile() throws Exception {
    SampleTraces.copyZaqar(dir);
    Path out = dir.resolve("report.json");

    CliRunner.Result r =
        CliRunner.run(
            "trace",
            "show",
            SampleTraces.ZAQAR_ID,
            "-c",
            "file://" + dir,
            "--json",
            "--out",
            out.toString());

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllBytes(out))
        .isEqualTo(Files.readAllBytes(SampleTraces.FIXTURES.resolve("zaqar-request.report.json")));
  }

  @Test
  void printsLikePythonJsonDumpsIndent2() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("empty_list", new ArrayList<>());
    m.put("empty_map", new LinkedHashMap<>());
    m.put("list", List.of(1L, "two", true));
    m.put("none", null);
    m.put("text", "caf\u00e9 \"q\" \\ \n\t\u0001\u007f \ud83d\ude00");
    m.put("floats", List.of(0.1, 1e-05, 0.0001, 1e16, 1e15, 2.5, -3.0, 123456.789));

    assertThat(PyJson.dumps(m))
        .isEqualTo(
            "{\n"
                + "  \"empty_list\": [],\n"
                + "  \"empty_map\": {},\n"
                + "  \"list\": [\n"
                + "    1,\n"
                + "    \"two\",\n"
                + "    true\n"
                + "  ],\n"
                + "  \"none\": null,\n"
                + "  \"text\": \"caf\\u00e9 \\\"q\\\" \\\\ \\n\\t\\u0001\\u007f \\ud83d\\ude00\",\n"
                + "  \"floats\": [\n"
                + "    0.1,\n"
                + "    1e-05,\n"
                + "    0.0001,\n"
                + "    1e+16,\n"
                + "    1000000000000000.0,\n"
                + "    2.5,\n"
                + "    -3.0,\n"
                + "    123456.789\n"
                + "  ]\n"
                + "}");
  }
}
