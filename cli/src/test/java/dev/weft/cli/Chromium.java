package dev.weft.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}, installed by {@code
 * .ci/install-chromium}), run with networking features off and a throw-away profile.
 */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private Chromium() {}

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** The page's DOM after load, as {@code --dump-dom} prints it. */
  static String dumpDom(Path html) throws IOException, InterruptedException {
    return run(html, List.of("--dump-dom"));
  }

  /** Saves a PNG of the page at the given window size. */
  static void screenshot(Path html, Path png, int width, int height)
      throws IOException, InterruptedException {
    run(
        html,
        List.of(
            "--screenshot=" + png.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars"));
  }

  private static String run(Path html, List<String> extra)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("weft-chromium");
    Path out = Files.createTempFile("weft-chromium", ".out");
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile));
    cmd.addAll(extra);
    cmd.add(html.toAbsolutePath().toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish within 120 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue());
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
