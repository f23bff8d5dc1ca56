package dev.weft.it.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OSProfiler, as Debian's python3-osprofiler installs it, driven through the small
 * programs in src/test/python. Every program uses OSProfiler's own APIs; none re-implements them.
 */
final class Osprofiler implements AutoCloseable {
  /** Debian's python (not a pyenv one first on PATH, which lacks Debian's packages). */
  static final String PYTHON = System.getProperty("weft.python", "/usr/bin/python3");

  static final ObjectMapper JSON = new ObjectMapper();

  private final Process server;
  private final int port;

  private Osprofiler(Process server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Null when {@code /usr/bin/python3 -c "import osprofiler, webob"} succeeds, else why not. */
  static String unavailable() {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return PYTHON + " is not installed";
    }
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import osprofiler, webob")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "importing osprofiler timed out";
      }
      return p.exitValue() == 0
          ? null
          : PYTHON
              + " cannot import osprofiler and webob (apt-get install python3-osprofiler"
              + " python3-webob): "
              + out.lines().reduce((a, b) -> b).orElse("");
    } catch (IOException | InterruptedException e) {
      return "cannot run " + PYTHON + ": " + e;
    }
  }

  static Path script(String name) {
    String dir = System.getProperty("weft.python.dir", "src/test/python");
    return Path.of(dir, name).toAbsolutePath();
  }

  /** Runs a script to completion with {@code stdin}; returns its stdout as JSON. */
  static JsonNode run(String script, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script(script).toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("weft-python-", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(script(script).getParent().toFile())
              .redirectError(err.toFile());
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the sources
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " failed: " + Files.readString(err));
      }
      return JSON.readTree(out);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Starts osprofiler_server.py: WsgiMiddleware around the probe app on a free loopback port. */
  static Osprofiler start(String hmacKeys) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(PYTHON, script("osprofiler_server.py").toString(), hmacKeys)
            .directory(script("osprofiler_server.py").getParent().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine();
    if (line == null || !line.startsWith("port ")) {
      p.destroyForcibly();
      throw new IllegalStateException("osprofiler_server.py did not start: " + line);
    }
    return new Osprofiler(p, Integer.parseInt(line.substring(5).strip()));
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    server.getOutputStream().close(); // the server stops when its stdin closes
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }
}
