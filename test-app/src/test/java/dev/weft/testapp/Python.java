package dev.weft.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Python ({@code /usr/bin/python3}) running the programs under src/test/python. */
final class Python {
  static final String PYTHON = "/usr/bin/python3";
  static final ObjectMapper JSON = new ObjectMapper();

  private Python() {}

  /** Why {@code import <module>} fails with Debian's Python, or null when it works. */
  static String cannotImport(String module) {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return PYTHON + " is not installed";
    }
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return PYTHON + " -c 'import " + module + "' did not finish";
      }
      return p.exitValue() == 0
          ? null
          : PYTHON + " -c 'import " + module + "' failed: " + out.strip();
    } catch (IOException e) {
      return PYTHON + " cannot run: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** What a program printed: its JSON lines, and everything on stderr. */
  record Output(List<JsonNode> lines, String stderr, int exit) {}

  /** Runs {@code src/test/python/<script>} with the arguments; each stdout line is JSON. */
  static Output run(String script, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.add(Path.of("src/test/python", script).toAbsolutePath().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().put("PYTHONHASHSEED", "0");
    Path err = Files.createTempFile("zaqar-python", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " did not finish in 180 s:\n" + out);
    }
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new IllegalStateException(
              script + " printed a line that is not JSON: " + line + "\n" + stderr, e);
        }
      }
    }
    return new Output(lines, stderr, p.exitValue());
  }
}
