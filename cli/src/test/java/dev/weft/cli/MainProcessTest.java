package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link Main} as its own process, as {@code java -jar weft-cli.jar} does: exit codes through
 * {@code System.exit}, UTF-8 output, and the connection string taken from {@code
 * WEFT_CONNECTION_STRING}, else from the default {@code file://<java.io.tmpdir>/weft-traces}.
 */
class MainProcessTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private Run weft(Map<String, String> env, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(jvm);
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("WEFT_CONNECTION_STRING");
    pb.environment().putAll(env);
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void connectionStringComesFromTheEnvironment() throws Exception {
    Path store = dir.resolve("store");
    SampleTraces.copyZaqar(store);

    Run r =
        weft(
            Map.of("WEFT_CONNECTION_STRING", "file://" + store),
            List.of(),
            "trace",
            "show",
            SampleTraces.ZAQAR_ID,
            "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "Trace 11111111-1111-1111-1111-111111111111: 3 spans, 1 error, 40 ms total\n"
                + "Self time 40 ms: entry 43 % · app 57 %\n"
                + "Critical path 40 ms (spans marked *): entry 43 % · app 57 %\n"
                + "\n"
                + "  SPAN                                                  SERVICE      "
                + " HOST     START  DURATION   SELF\n"
                + "* wsgi POST /v2/queues/q1/messages                      Zaqar-server "
                + " node-1   +0 ms     40 ms  17 ms\n"
                + "* ├─ mongodb_message_controller MessageController.post  Zaqar-server "
                + " node-1   +5 ms     12 ms  12 ms\n"
                + "* └─ mongodb_message_controller MessageController.get   Zaqar-server "
                + " node-1  +20 ms     11 ms  11 ms  ERROR KeyError: 'nope'\n");
  }

  @Test
  void withoutOptionOrEnvironmentTheDefaultStoreIsRead() throws Exception {
    Path tmp = dir.resolve("tmp");
    SampleTraces.copyZaqar(tmp.resolve("weft-traces"));

    Run r = weft(Map.of(), List.of("-Djava.io.tmpdir=" + tmp), "trace", "list");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo("11111111-1111-1111-1111-111111111111  2024-01-02T03:04:05.123456\n");
  }

  @Test
  void unknownTraceExitsWith1() throws Exception {
    Run r =
        weft(
            Map.of("WEFT_CONNECTION_STRING", "file://" + dir),
            List.of(),
            "trace",
            "show",
            "missing",
            "--html");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("weft: trace missing not found in file://" + dir + "\n");
  }

  @Test
  void aTrace2500DeepIsShownInEveryFormatWithin128MegabytesOfHeapAndASmallStack() throws Exception {
    Path store = dir.resolve("store");
    SampleTraces.chain("deep", DeepTraceTest.N).writeTo(store);
    Map<String, String> first =
        Map.of(
            "--json", "{",
            "--tree", "Trace deep: 2500 spans, 10 ms total",
            "--html", "<!DOCTYPE html>",
            "--dot", "digraph \"deep\" {",
            "--analysis", "{");
    Map<String, String> last =
        Map.of(
            "--json",
            "}",
            "--tree",
            DeepTraceTest.treeLine(2500),
            "--html",
            "</html>",
            "--dot",
            "}",
            "--analysis",
            "}");
    for (String format : List.of("--json", "--tree", "--html", "--dot", "--analysis")) {
      Path file = dir.resolve("deep." + format.substring(2));

      Run r =
          weft(
              Map.of("WEFT_CONNECTION_STRING", "file://" + store),
              List.of("-Xmx128m", "-Xss256k"),
              "trace",
              "show",
              "deep",
              format,
              "--out",
              file.toString());

      assertThat(r.exitCode()).as(format).isEqualTo(0);
      assertThat(r.err()).as(format).isEqualTo(DeepTraceTest.DEPTH_WARNING);
      assertThat(r.out()).as(format).isEmpty();
      String top;
      String end = null;
      try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        top = in.readLine();
        for (String l = top; l != null; l = in.readLine()) {
          end = l;
        }
      }
      assertThat(top).as(format).isEqualTo(first.get(format));
      assertThat(end).as(format).isEqualTo(last.get(format));
    }
  }
}
