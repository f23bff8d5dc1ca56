package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListCommandTest {
  @TempDir Path dir;

  @Test
  void oneLinePerTraceWithItsFirstTimestamp() throws Exception {
    SampleTraces.copyZaqar(dir);
    SampleTraces.shop().writeTo(dir);
    // The file collector lists traces oldest first by file time.
    Files.setLastModifiedTime(
        dir.resolve(SampleTraces.ZAQAR_ID + ".jsonl"), FileTime.fromMillis(1_000_000L));
    Files.setLastModifiedTime(
        dir.resolve(SampleTraces.SHOP_ID + ".jsonl"), FileTime.fromMillis(2_000_000L));

    CliRunner.Result r = CliRunner.run("trace", "list", "-c", "file://" + dir);

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "11111111-1111-1111-1111-111111111111  2024-01-02T03:04:05.123456\n"
                + "5d0b2c1e-8f3a-4e6b-9c2d-7a1e0f4b3c21  2025-03-14T09:26:53.000000\n");
  }

  @Test
  void errorTraceListsOnlyTracesMarkedAsFailed() throws Exception {
    SampleTraces.copyZaqar(dir);
    SampleTraces.shop().writeTo(dir);
    // The file collector marks the shop trace (a stop event with etype); zaqar's copy has no mark.

    CliRunner.Result r = CliRunner.run("trace", "list", "-c", "file://" + dir, "--error-trace");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo("5d0b2c1e-8f3a-4e6b-9c2d-7a1e0f4b3c21  2025-03-14T09:26:53.000000\n");
  }

  @Test
  void emptyStoreSaysSoOnStderr() {
    CliRunner.Result r = CliRunner.run("trace", "list", "-c", "file://" + dir);

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("weft: no traces in file://" + dir + "\n");
  }
}
