package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Any collector on the class path is readable: here a {@code fixture://} plug-in. */
class PluginCollectorTest {
  @Test
  void showAndListReadThroughAServiceLoadedCollector() throws Exception {
    CliRunner.Result show =
        CliRunner.run(
            "trace", "show", SampleTraces.ZAQAR_ID, "-c", "fixture://:ok@store", "--json");
    CliRunner.Result list = CliRunner.run("trace", "list", "-c", "fixture://store");

    assertThat(show.exitCode()).isEqualTo(0);
    assertThat(show.out())
        .isEqualTo(
            Files.readString(SampleTraces.FIXTURES.resolve("zaqar-request.report.json")) + "\n");
    assertThat(list.out())
        .isEqualTo("11111111-1111-1111-1111-111111111111  2024-01-02T03:04:05.123456\n");
  }

  @Test
  void backendFailureIsExitCode2WithThePasswordRedacted() {
    CliRunner.Result r =
        CliRunner.run("trace", "show", "x", "-c", "fixture://:s3cret@store", "--tree");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "weft: cannot open fixture://***@store: authentication failed for"
                + " fixture://***@store\n")
        .doesNotContain("s3cret");
  }
}
