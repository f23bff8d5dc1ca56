package dev.weft.internal.collect;

import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code file://DIR}: one JSON-lines file of events per trace, {@code DIR/<base_id>.jsonl},
 * appended per batch. A trace with an error also gets an empty marker {@code DIR/<base_id>.error}.
 *
 * <p>Design note: a base_id comes from a signed header and can be any string; characters outside
 * {@code [A-Za-z0-9._-]} are percent-encoded in file names so no id can escape the directory.
 */
public final class FileCollector implements Collector, TraceReader {
  private final Path dir;

  public FileCollector(Path dir) {
    this.dir = dir;
  }

  /** The directory of a {@code file://} connection string. */
  public static Path dirOf(String connectionString) {
    String p = connectionString.substring("file://".length());
    return Path.of(p.isEmpty() ? "." : p);
  }

  @Override
  public void store(List<Event> batch) throws IOException {
    Files.createDirectories(dir);
    Map<String, StringBuilder> byTrace = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Event e : batch) {
      byTrace.computeIfAbsent(e.baseId(), k -> new StringBuilder()).append(e.json()).append('\n');
      if (e.error()) {
        errors.add(e.baseId());
      }
    }
    for (Map.Entry<String, StringBuilder> en : byTrace.entrySet()) {
      try (Writer w =
          Files.newBufferedWriter(
              file(en.getKey(), ".jsonl"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        w.write(en.getValue().toString());
      }
    }
    for (String id : errors) {
      Path marker = file(id, ".error");
      if (!Files.exists(marker)) {
        Files.writeString(marker, "");
      }
    }
  }

  private Path file(String baseId, String suffix) {
    return dir.resolve(safeName(baseId) + suffix);
  }

  static String safeName(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (byte x : id.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || (c == '.' && b.length() > 0)) {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  static String unsafeName(String name) {
    return java.net.URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public List<TraceSummary> list(boolean errorsOnly) throws IOException {
    List<TraceSummary> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).forEach(files::add);
    }
    files.sort(
        (x, y) -> {
          try {
            return Files.getLastModifiedTime(x).compareTo(Files.getLastModifiedTime(y));
          } catch (IOException e) {
            return 0;
          }
        });
    for (Path p : files) {
      String name = p.getFileName().toString();
      String stem = name.substring(0, name.length() - ".jsonl".length());
      if (errorsOnly && !Files.exists(dir.resolve(stem + ".error"))) {
        continue;
      }
      out.add(new TraceSummary(unsafeName(stem), firstTimestamp(p)));
    }
    return out;
  }

  /**
   * The earliest event time in the file. Spans are appended as they finish, so the first line is
   * not the earliest event (an enclosing span's start is written after its children): every line is
   * read. The fixed-width timestamp text orders like the time it stands for.
   */
  private static String firstTimestamp(Path p) {
    try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
      String min = null;
      for (String line : (Iterable<String>) lines::iterator) {
        int i = line.indexOf("\"timestamp\": \"");
        if (i < 0) {
          continue;
        }
        int from = i + "\"timestamp\": \"".length();
        int to = line.indexOf('"', from);
        if (to > 0) {
          String ts = line.substring(from, to);
          if (min == null || ts.compareTo(min) < 0) {
            min = ts;
          }
        }
      }
      return min;
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  @Override
  public List<String> events(String baseId) throws IOException {
    Path p = file(baseId, ".jsonl");
    if (!Files.exists(p)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
