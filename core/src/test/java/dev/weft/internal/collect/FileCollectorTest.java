package dev.weft.internal.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCollectorTest {
  @TempDir Path tmp;

  private static Event event(String baseId, String name, String ts, boolean error) {
    String json =
        "{\"name\": \""
            + name
            + "\", \"base_id\": \""
            + baseId.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\", \"timestamp\": \""
            + ts
            + "\"}";
    return new Event(baseId, name, json, ts, error);
  }

  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void writesOneJsonLinesFilePerTrace_appendingPerBatch() throws Exception {
    Path dir = tmp.resolve("traces");
    FileCollector c = new FileCollector(dir);
    Event a1 = event("aaa", "x-start", "2024-01-02T03:04:05.000001", false);
    Event b1 = event("bbb", "y-start", "2024-01-02T03:04:06.000001", false);
    Event a2 = event("aaa", "x-stop", "2024-01-02T03:04:05.000002", false);
    c.store(List.of(a1, b1, a2));
    Event a3 = event("aaa", "z-start", "2024-01-02T03:04:05.000003", false);
    c.store(List.of(a3));

    assertThat(filesUnder(tmp)).containsExactly("traces/aaa.jsonl", "traces/bbb.jsonl");
    assertThat(Files.readString(dir.resolve("aaa.jsonl"), StandardCharsets.UTF_8))
        .isEqualTo(a1.json() + "\n" + a2.json() + "\n" + a3.json() + "\n");
    assertThat(Files.readString(dir.resolve("bbb.jsonl"), StandardCharsets.UTF_8))
        .isEqualTo(b1.json() + "\n");
    assertThat(c.events("aaa")).containsExactly(a1.json(), a2.json(), a3.json());
    assertThat(c.events("bbb")).containsExactly(b1.json());
    assertThat(c.events("unknown")).isEmpty();
  }

  @Test
  void list_isOrderedByFileTime_andErrorMarkerSelectsErrorTraces() throws Exception {
    Path dir = tmp.resolve("traces");
    FileCollector c = new FileCollector(dir);
    c.store(List.of(event("t-old", "a-start", "2024-01-01T00:00:00.000001", false)));
    c.store(
        List.of(
            event("t-err", "b-start", "2024-01-01T00:00:01.000001", false),
            event("t-err", "b-stop", "2024-01-01T00:00:01.000002", true)));
    c.store(List.of(event("t-new", "c-start", "2024-01-01T00:00:02.000001", false)));
    Files.setLastModifiedTime(dir.resolve("t-old.jsonl"), FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(dir.resolve("t-err.jsonl"), FileTime.fromMillis(2_000_000));
    Files.setLastModifiedTime(dir.resolve("t-new.jsonl"), FileTime.fromMillis(3_000_000));

    assertThat(filesUnder(dir))
        .containsExactly("t-err.error", "t-err.jsonl", "t-new.jsonl", "t-old.jsonl");
    assertThat(Files.size(dir.resolve("t-err.error"))).isZero();
    assertThat(c.list(false))
        .containsExactly(
            new TraceSummary("t-old", "2024-01-01T00:00:00.000001"),
            new TraceSummary("t-err", "2024-01-01T00:00:01.000001"),
            new TraceSummary("t-new", "2024-01-01T00:00:02.000001"));
    assertThat(c.list(true))
        .containsExactly(new TraceSummary("t-err", "2024-01-01T00:00:01.000001"));

    // A second error in a later batch keeps the one marker.
    c.store(List.of(event("t-err", "d-stop", "2024-01-01T00:00:03.000001", true)));
    assertThat(filesUnder(dir))
        .containsExactly("t-err.error", "t-err.jsonl", "t-new.jsonl", "t-old.jsonl");
  }

  @Test
  void listOfMissingDirectory_isEmpty() throws Exception {
    assertThat(new FileCollector(tmp.resolve("absent")).list(false)).isEmpty();
    assertThat(new FileCollector(tmp.resolve("absent")).events("x")).isEmpty();
  }

  @Test
  void pathLikeBaseIds_stayInsideTheDirectory() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a").resolve("b").resolve("traces"));
    FileCollector c = new FileCollector(dir);
    List<String> ids =
        List.of(
            "../../etc/passwd", "/abs/path", "..", ".hidden", "a\\b", "sp ace+plus", "caf\u00e9");
    for (String id : ids) {
      c.store(List.of(event(id, "x-stop", "2024-01-01T00:00:00.000001", true)));
    }

    assertThat(filesUnder(tmp))
        .containsExactlyInAnyOrder(
            "a/b/traces/%2E.%2F..%2Fetc%2Fpasswd.jsonl",
            "a/b/traces/%2E.%2F..%2Fetc%2Fpasswd.error",
            "a/b/traces/%2Fabs%2Fpath.jsonl",
            "a/b/traces/%2Fabs%2Fpath.error",
            "a/b/traces/%2E..jsonl",
            "a/b/traces/%2E..error",
            "a/b/traces/%2Ehidden.jsonl",
            "a/b/traces/%2Ehidden.error",
            "a/b/traces/a%5Cb.jsonl",
            "a/b/traces/a%5Cb.error",
            "a/b/traces/sp%20ace%2Bplus.jsonl",
            "a/b/traces/sp%20ace%2Bplus.error",
            "a/b/traces/caf%C3%A9.jsonl",
            "a/b/traces/caf%C3%A9.error");
    for (String id : ids) {
      assertThat(c.events(id)).as(id).hasSize(1);
      assertThat(c.events(id).get(0)).contains("\"name\": \"x-stop\"");
    }
    assertThat(c.list(true).stream().map(TraceSummary::baseId))
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void connectionString_resolvesToTheFileCollectorAndReader() throws Exception {
    Path dir = tmp.resolve("cs");
    String cs = "file://" + dir;
    Event e = event("id-1", "s-start", "2024-01-01T00:00:00.000001", false);
    try (Collector c = Collectors.collector(cs, Map.of())) {
      assertThat(c).isInstanceOf(FileCollector.class);
      c.store(List.of(e));
    }
    try (TraceReader r = Collectors.reader(cs)) {
      assertThat(r.events("id-1")).containsExactly(e.json());
      assertThat(r.list(false))
          .containsExactly(new TraceSummary("id-1", "2024-01-01T00:00:00.000001"));
    }
    assertThat(FileCollector.dirOf(cs)).isEqualTo(dir);
  }

  @Test
  void defaultConnectionString_isTheTemporaryDirectory() {
    assertThat(Collectors.effective(""))
        .isEqualTo("file://" + Path.of(System.getProperty("java.io.tmpdir"), "weft-traces"));
    assertThat(Collectors.effective(null)).isEqualTo(Collectors.defaultConnectionString());
    assertThat(Collectors.effective(" memory:// ")).isEqualTo("memory://");
    assertThat(Collectors.redact("redis://:pw@host:6379/0")).isEqualTo("redis://***@host:6379/0");
    assertThat(Collectors.redact("redis://:pa/ss@host:6379/0"))
        .isEqualTo("redis://***@host:6379/0");
    assertThat(Collectors.redact("redis://:p@ss@host:6379")).isEqualTo("redis://***@host:6379");
    assertThat(Collectors.redact("mongodb://u:p%40ss%2Fx@h:27017/db?authSource=admin"))
        .isEqualTo("mongodb://***@h:27017/db?authSource=admin");
    assertThat(Collectors.redact("otlps://h:4318/v1?api_key=K1&x=1&password=P2"))
        .isEqualTo("otlps://h:4318/v1?api_key=***&x=1&password=***");
    assertThat(Collectors.redact("cannot open redis://:s3@h:1 (refused); and mongodb://a:b@c"))
        .isEqualTo("cannot open redis://***@h:1 (refused); and mongodb://***@c");
    assertThat(Collectors.redact("file:///var/tmp/weft-traces"))
        .isEqualTo("file:///var/tmp/weft-traces");
    assertThat(Collectors.redact("no url here")).isEqualTo("no url here");
  }

  @Test
  void longIdsGetABoundedFileName_andAreListedAndReadWhole() throws Exception {
    FileCollector c = new FileCollector(tmp);
    String longId = "x".repeat(1605);
    String otherLong = "x".repeat(1604) + "y"; // same readable prefix, another trace
    String quoted = "a\"b/" + "z".repeat(300);
    Event l1 = event(longId, "wsgi-start", "2024-01-02T03:04:05.000001", false);
    Event o1 = event(otherLong, "wsgi-start", "2024-01-02T03:04:05.000002", false);
    Event q1 = event(quoted, "wsgi-start", "2024-01-02T03:04:05.000003", false);
    c.store(List.of(l1, o1, q1));

    for (String f : filesUnder(tmp)) {
      assertThat(f.length()).as(f).isLessThanOrEqualTo(FileCollector.MAX_NAME + ".jsonl".length());
    }
    assertThat(filesUnder(tmp)).hasSize(3);
    assertThat(c.events(longId)).containsExactly(l1.json());
    assertThat(c.events(otherLong)).containsExactly(o1.json());
    assertThat(c.events(quoted)).containsExactly(q1.json());
    assertThat(c.list(false).stream().map(TraceSummary::baseId))
        .containsExactlyInAnyOrder(longId, otherLong, quoted);
  }

  @Test
  void aStoreDirectoryRemovedBetweenBatches_isMadeAgain_andTheBatchIsKept() throws Exception {
    Path dir = tmp.resolve("traces");
    FileCollector c = new FileCollector(dir);
    Event a1 = event("aaa", "x-start", "2024-01-02T03:04:05.000001", false);
    c.store(List.of(a1));
    Files.delete(dir.resolve("aaa.jsonl"));
    Files.delete(dir); // an operator clearing the store while the service runs
    Event a2 = event("aaa", "x-stop", "2024-01-02T03:04:05.000002", false);
    Event b1 = event("bbb", "y-start", "2024-01-02T03:04:06.000001", false);
    c.store(List.of(a2, b1));

    assertThat(filesUnder(tmp)).containsExactly("traces/aaa.jsonl", "traces/bbb.jsonl");
    assertThat(c.events("aaa")).containsExactly(a2.json());
    assertThat(c.events("bbb")).containsExactly(b1.json());
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void aTraceWhoseFileCannotBeWritten_losesItsOwnEventsOnly() throws Exception {
    FileCollector c = new FileCollector(tmp);
    Files.createDirectories(tmp.resolve("blocked.jsonl")); // a directory where the file would go
    Event b1 = event("blocked", "wsgi-start", "2024-01-02T03:04:05.000001", false);
    Event b2 = event("blocked", "wsgi-stop", "2024-01-02T03:04:05.000002", false);
    Event ok = event("fine", "wsgi-start", "2024-01-02T03:04:05.000003", false);
    dev.weft.spi.PartialFailure pf =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.weft.spi.PartialFailure.class, () -> c.store(List.of(b1, ok, b2)));
    assertThat(pf.failedTraces()).containsExactly("blocked");
    assertThat(pf.failedEvents()).isEqualTo(2);
    assertThat(c.events("fine")).containsExactly(ok.json());
  }

  @Test
  void theStoreIsReadableByItsOwnerOnly() throws Exception {
    Path dir = tmp.resolve("private");
    new FileCollector(dir)
        .store(List.of(event("p1", "x-start", "2024-01-02T03:04:05.000001", true)));
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("p1.jsonl"))))
        .isEqualTo("rw-------");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("p1.error"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aStoreDirectoryOfAnotherUserIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("theirs"));
    java.nio.file.attribute.UserPrincipal other =
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        !other.getName().equals(System.getProperty("user.name")));
    try {
      Files.setOwner(dir, other);
    } catch (IOException notAllowed) {
      org.junit.jupiter.api.Assumptions.abort("cannot give a directory away here: " + notAllowed);
    }
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> FileCollector.checkOwnedByThisUser(dir));
    assertThat(e.getMessage())
        .isEqualTo(
            dir
                + " belongs to nobody, not to "
                + System.getProperty("user.name")
                + "; set weft.connection_string=file://<a directory of your own>");
    FileCollector.checkOwnedByThisUser(tmp); // our own: accepted
  }
}
