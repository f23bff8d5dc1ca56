package dev.weft.internal.collect;

import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.EventBatch;
import dev.weft.spi.PartialFailure;
import dev.weft.spi.TraceReader;
import java.io.IOException;
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
 * A trace whose file cannot be written loses its own events only ({@link PartialFailure}).
 *
 * <p>Design note: a base_id comes from a signed header and can be any string; characters outside
 * {@code [A-Za-z0-9._-]} are percent-encoded in file names so no id can escape the directory. A
 * name longer than {@value #MAX_NAME} characters is a readable prefix, {@code ~} (which the
 * encoding never writes) and a hash of the whole id, so every id the headers accept has a file; the
 * events keep the full id, and reading filters on it.
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

  private static final boolean POSIX =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /**
   * Refuses a store directory that exists and belongs to another user: the default one is under the
   * shared {@code java.io.tmpdir}, where anyone could have created it first.
   *
   * @throws IOException naming the directory and its owner
   */
  static void checkOwnedByThisUser(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    String owner = Files.getOwner(dir).getName();
    String me = System.getProperty("user.name");
    if (me != null && !owner.equals(me)) {
      throw new IOException(
          dir
              + " belongs to "
              + owner
              + ", not to "
              + me
              + "; set weft.connection_string=file://<a directory of your own>");
    }
  }

  /** Creates the directory readable by its owner only (0700), where the file system has modes. */
  private void createDir() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (POSIX) {
      Files.createDirectories(
          dir,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static final java.util.Set<StandardOpenOption> APPEND =
      java.util.EnumSet.of(
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);

  private static final java.util.Set<StandardOpenOption> CREATE =
      java.util.EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);

  /** The mode of a file this collector creates: its owner's only, where files have modes. */
  private static final java.nio.file.attribute.FileAttribute<?>[] OWNER_ONLY =
      POSIX
          ? new java.nio.file.attribute.FileAttribute<?>[] {
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
          }
          : new java.nio.file.attribute.FileAttribute<?>[0];

  /**
   * Whether {@link #dir} was made (or found) by this collector: checked once, not per batch, and
   * again when a trace file cannot be opened because the directory is gone.
   */
  private boolean dirReady;

  private void ensureDir() throws IOException {
    if (!dirReady) {
      createDir();
      dirReady = true;
    }
  }

  /**
   * Appends whole lines, or nothing: when the write fails part way (a full disk), the file is
   * truncated back to where it was, so no torn line is left for the next event to be glued onto.
   * One {@code open} creates the file (mode 0600) or opens it for appending.
   */
  private void append(Path f, java.nio.ByteBuffer buf) throws IOException {
    java.nio.channels.FileChannel opened;
    try {
      opened = java.nio.channels.FileChannel.open(f, APPEND, OWNER_ONLY);
    } catch (java.nio.file.NoSuchFileException e) {
      dirReady = false; // the directory was removed meanwhile: make it again, once
      ensureDir();
      opened = java.nio.channels.FileChannel.open(f, APPEND, OWNER_ONLY);
    }
    try (java.nio.channels.FileChannel ch = opened) {
      long before = ch.size();
      try {
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      } catch (IOException e) {
        try {
          ch.truncate(before);
        } catch (IOException ignored) {
          // the reader skips a torn line
        }
        throw e;
      }
    }
  }

  /** One trace's lines of a batch, and how many events they are. */
  private static final class Lines extends java.io.ByteArrayOutputStream {
    int events;
    boolean error;

    Lines() {
      super(1024);
    }

    java.nio.ByteBuffer buffer() {
      return java.nio.ByteBuffer.wrap(buf, 0, count);
    }
  }

  @Override
  public void store(List<Event> batch) throws IOException {
    ensureDir();
    Map<String, Lines> byTrace = new LinkedHashMap<>();
    // From the pipeline's queue, each event's JSON bytes are written from its span into the
    // trace's lines, with no Event or String per event.
    EventBatch b = EventBatch.of(batch);
    for (int i = 0, n = b.size(); i < n; i++) {
      Lines l = byTrace.computeIfAbsent(b.baseId(i), k -> new Lines());
      b.writeJson(i, l);
      l.write('\n');
      l.events++;
      l.error |= b.error(i);
    }
    java.util.Set<String> failed = new java.util.LinkedHashSet<>();
    int failedEvents = 0;
    IOException first = null;
    for (Map.Entry<String, Lines> en : byTrace.entrySet()) {
      Path f = file(en.getKey(), ".jsonl");
      try {
        append(f, en.getValue().buffer());
      } catch (IOException | RuntimeException x) {
        failed.add(en.getKey());
        failedEvents += en.getValue().events;
        first = first == null ? asIo(x) : first;
      }
    }
    for (Map.Entry<String, Lines> en : byTrace.entrySet()) {
      String id = en.getKey();
      if (!en.getValue().error) {
        continue;
      }
      Path marker = file(id, ".error");
      try {
        if (!failed.contains(id)) {
          java.nio.channels.FileChannel.open(marker, CREATE, OWNER_ONLY).close(); // empty, 0600
        }
      } catch (IOException e) {
        // the trace is stored; only its error index is missing
      }
    }
    if (!failed.isEmpty()) {
      if (failed.size() == byTrace.size()) {
        throw first; // nothing could be written: the directory itself is the problem
      }
      throw new PartialFailure(failed, failedEvents, first);
    }
  }

  private static IOException asIo(Exception x) {
    return x instanceof IOException ? (IOException) x : new IOException(x);
  }

  private Path file(String baseId, String suffix) {
    return dir.resolve(safeName(baseId) + suffix);
  }

  /** Longest file name stem written; longer ones become a prefix and a hash. */
  static final int MAX_NAME = 120;

  static String safeName(String id) {
    StringBuilder b = new StringBuilder(Math.min(id.length(), MAX_NAME));
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
      if (b.length() > MAX_NAME) {
        return hashed(id, b);
      }
    }
    return b.toString();
  }

  private static String hashed(String id, StringBuilder encoded) {
    int cut = 64;
    int pct = encoded.lastIndexOf("%", cut);
    if (pct > cut - 3) {
      cut = pct; // never split a %XX escape
    }
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(id.getBytes(StandardCharsets.UTF_8));
      return encoded.substring(0, cut) + "~" + java.util.HexFormat.of().formatHex(h, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code "base_id": "<id>", } member of an event of this trace, as Weft writes it. */
  private static String idMember(String baseId) {
    return "\"base_id\": " + dev.weft.internal.pipeline.JsonWriter.quote(baseId) + ",";
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
      String id = stem.indexOf('~') >= 0 ? idInFile(p) : unsafeName(stem);
      if (id != null) {
        out.add(new TraceSummary(id, firstTimestamp(p)));
      }
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

  /** The JSON string value that follows {@code key} in {@code line}, decoded; null if none. */
  static String stringAfter(String line, String key) {
    int i = line.indexOf(key);
    if (i < 0 || i + key.length() >= line.length() || line.charAt(i + key.length()) != '"') {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int k = i + key.length() + 1; k < line.length(); k++) {
      char c = line.charAt(k);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++k >= line.length()) {
        return null;
      }
      char e = line.charAt(k);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (k + 4 >= line.length()) {
            return null;
          }
          b.append((char) Integer.parseInt(line.substring(k + 1, k + 5), 16));
          k += 4;
        }
        default -> b.append(e);
      }
    }
    return null;
  }

  /** The base_id of a file whose name is hashed: from its first event. */
  private static String idInFile(Path p) {
    try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
      String first = lines.filter(l -> !l.isBlank()).findFirst().orElse(null);
      return first == null ? null : stringAfter(first, "\"base_id\": ");
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
    boolean hashed = safeName(baseId).indexOf('~') >= 0;
    String member = idMember(baseId);
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && (!hashed || line.contains(member))) {
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
