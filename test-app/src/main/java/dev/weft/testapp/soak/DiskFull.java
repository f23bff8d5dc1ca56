package dev.weft.testapp.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small tmpfs for the file collector, filled up so that every append fails, then freed. Needs the
 * right to mount (root); {@link #mount} returns null, and says why, where it cannot.
 */
final class DiskFull {
  static final String SIZE = "2m";
  final Path dir;
  private final Path mountPoint;
  private final Path filler;

  private DiskFull(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.dir = mountPoint.resolve("traces");
    this.filler = mountPoint.resolve("filler");
  }

  static DiskFull mount(Path mountPoint, PrintStream out) {
    try {
      Files.createDirectories(mountPoint);
      String result =
          run(
              "mount",
              "-t",
              "tmpfs",
              "-o",
              "size=" + SIZE + ",mode=0700",
              "tmpfs",
              mountPoint.toString());
      if (result != null) {
        out.println("disk-full phase skipped: cannot mount a tmpfs (" + result + ")");
        return null;
      }
      DiskFull d = new DiskFull(mountPoint);
      Files.createDirectories(d.dir);
      return d;
    } catch (IOException | InterruptedException e) {
      out.println("disk-full phase skipped: " + e);
      return null;
    }
  }

  /** Writes a filler file until the file system refuses another byte. */
  void fill() throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream o = Files.newOutputStream(filler)) {
      while (true) {
        o.write(block);
      }
    } catch (IOException full) {
      // full: what the phase wants
    }
    try (OutputStream o = Files.newOutputStream(mountPoint.resolve("filler-tail"))) {
      while (true) {
        o.write(0);
        o.flush();
      }
    } catch (IOException full) {
      // down to the last byte
    }
  }

  void free() throws IOException {
    Files.deleteIfExists(filler);
    Files.deleteIfExists(mountPoint.resolve("filler-tail"));
  }

  /**
   * {events of the run's traces in the trace files, lines that are not JSON, events of traces the
   * run did not sign}: an interrupted append must have been cut back, so the second number must be
   * 0, and so must the third.
   */
  long[] countEvents(Set<String> signed) throws IOException {
    long events = 0;
    long torn = 0;
    long foreign = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).toList();
    }
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (line.isEmpty()) {
          continue;
        }
        JsonNode e;
        try {
          e = Soak.JSON.readTree(line);
        } catch (IOException notJson) {
          torn++;
          continue;
        }
        if (signed.contains(e.path("base_id").asText())) {
          events++;
        } else {
          foreign++;
        }
      }
    }
    return new long[] {events, torn, foreign};
  }

  void unmount() {
    try {
      run("umount", mountPoint.toString());
    } catch (IOException | InterruptedException e) {
      // left mounted under the run's temporary directory
    }
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
