package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.collect.FileCollector;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file collector writes the same files from an in-place batch as from its events. */
class FileCollectorInPlaceTest {
  @TempDir Path tmp;

  private static TreeMap<String, byte[]> files(Path dir) throws Exception {
    TreeMap<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void theBatchAndItsEventsGiveTheSameFiles() throws Exception {
    RingBuffer ring = new RingBuffer(64);
    for (int i = 0; i < 30; i++) {
      SpanRecord r = Spans.span(i % 3 == 0 ? "trace-a" : i % 3 == 1 ? "trace-b" : "tr/ace c", 0, i);
      if (i == 4) {
        r.etype = "ValueError";
        r.message = "bad \u00e9";
      }
      ring.offer(r);
    }
    SlotBatch batch = new SlotBatch(ring);
    batch.reset(ring.peek(64), Spans.encoder());
    List<Event> events = new ArrayList<>(batch);

    Path inPlace = tmp.resolve("in-place");
    Path copied = tmp.resolve("copied");
    new FileCollector(inPlace).store(batch);
    new FileCollector(copied).store(events);
    // a second batch is appended the same way
    new FileCollector(inPlace).store(batch);
    new FileCollector(copied).store(events);

    TreeMap<String, byte[]> a = files(inPlace);
    TreeMap<String, byte[]> b = files(copied);
    assertThat(a.keySet())
        .containsExactly("tr%2Face%20c.jsonl", "trace-a.jsonl", "trace-b.error", "trace-b.jsonl");
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String k : a.keySet()) {
      assertThat(a.get(k)).as(k).isEqualTo(b.get(k));
    }
    assertThat(new String(a.get("trace-a.jsonl"), java.nio.charset.StandardCharsets.UTF_8))
        .hasLineCount(40)
        .startsWith(events.get(0).json() + "\n" + events.get(1).json() + "\n");
  }
}
