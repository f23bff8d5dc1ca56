package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandErrorsTest {
  @TempDir Path dir;

  @Test
  void unknownTraceIsExitCode1WithTheConnectionStringNamed() throws Exception {
    SampleTraces.copyZaqar(dir);

    CliRunner.Result r =
        CliRunner.run("trace", "show", "no-such-trace", "-c", "file://" + dir, "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("weft: trace no-such-trace not found in file://" + dir + "\n");
  }

  @Test
  void missingDirectoryIsAnUnknownTrace() {
    CliRunner.Result r =
        CliRunner.run("trace", "show", "x", "-c", "file://" + dir.resolve("absent"), "--tree");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("weft: trace x not found in file://" + dir.resolve("absent") + "\n");
  }

  @Test
  void connectionStringWithoutSchemeIsExitCode2() {
    CliRunner.Result r = CliRunner.run("trace", "show", "x", "-c", "/tmp/traces", "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "weft: bad connection string: not a connection string (expected scheme://...):"
                + " /tmp/traces\n");
  }

  @Test
  void schemeWithoutCollectorIsExitCode2AndThePasswordIsNotPrinted() {
    CliRunner.Result r = CliRunner.run("trace", "list", "-c", "nosuch://:s3cret@db.example:6379/0");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "weft: bad connection string: no collector for 'nosuch://' (is weft-collectors on"
                + " the classpath?): nosuch://***@db.example:6379/0\n")
        .doesNotContain("s3cret");
  }

  @Test
  void logCollectorCannotBeReadBack() {
    CliRunner.Result r = CliRunner.run("trace", "show", "x", "-c", "log://", "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("weft: bad connection string: log:// stores nothing that can be read back\n");
  }

  @Test
  void exactlyOneFormatIsRequired() {
    CliRunner.Result none = CliRunner.run("trace", "show", "x");
    CliRunner.Result two = CliRunner.run("trace", "show", "x", "--json", "--dot");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err())
        .startsWith(
            "Error: Missing required argument (specify one of these): (--json | --tree | --html |"
                + " --dot | --analysis)\n");
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(two.err()).startsWith("Error: --json, --dot are mutually exclusive");
  }

  @Test
  void unreadableEventsAreSkippedWithAWarning() throws Exception {
    SampleTraces.copyZaqar(dir);
    Path file = dir.resolve(SampleTraces.ZAQAR_ID + ".jsonl");
    java.nio.file.Files.writeString(
        file,
        "not json\n{\"name\": \"x-start\", \"timestamp\": \"yesterday\"}\n",
        java.nio.file.StandardOpenOption.APPEND);

    CliRunner.Result r =
        CliRunner.run(
            "trace",
            "show",
            SampleTraces.ZAQAR_ID,
            "-c",
            "file://" + dir,
            "--json",
            "-o",
            dir.resolve("r.json").toString());

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err())
        .isEqualTo(
            "weft: skipped 2 unreadable events of trace 11111111-1111-1111-1111-111111111111\n");
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve("r.json")))
        .isEqualTo(
            java.nio.file.Files.readAllBytes(
                SampleTraces.FIXTURES.resolve("zaqar-request.report.json")));
  }
}
