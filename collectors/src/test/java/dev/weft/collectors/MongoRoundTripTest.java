package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.weft.Weft;
import dev.weft.internal.collect.Collectors;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round trips through {@code mongodb://} against mongo-java-server (the MongoDB wire protocol,
 * memory backend): OSProfiler's documents read back into OSProfiler's report; Weft's batches are
 * stored in the same layout, indexed, and read back into the same report.
 */
class MongoRoundTripTest {
  private static MongoServer server;
  private static String cs;
  private static MongoClient client;

  @BeforeAll
  static void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    int port = TestSupport.freePort();
    server.bind("127.0.0.1", port);
    cs = "mongodb://127.0.0.1:" + port;
    client = MongoClients.create(cs);
    Weft.set("weft.enabled", "true");
    Weft.set("weft.connection_string", "memory://");
  }

  @AfterAll
  static void stop() {
    Weft.resetRuntimeChanges();
    client.close();
    server.shutdownNow();
  }

  @BeforeEach
  void empty() {
    client.getDatabase("osprofiler").drop();
  }

  private static MongoCollection<Document> collection(String name) {
    return client.getDatabase("osprofiler").getCollection(name);
  }

  @Test
  void osprofilerDocuments_readBackAsOsprofilersOwnReport() throws Exception {
    List<String> fixture = TestSupport.fixtureEvents();
    for (String e : fixture) { // OSProfiler's notify(): insert_one of the event dict
      collection("profiler").insertOne(Document.parse(e));
    }
    collection("profiler_error")
        .insertOne(
            new Document("base_id", TestSupport.FIXTURE_BASE_ID)
                .append("timestamp", "2024-01-02T03:04:05.154456"));
    try (TraceReader reader = Collectors.reader(cs)) {
      List<String> events = reader.events(TestSupport.FIXTURE_BASE_ID);
      assertThat(events).containsExactlyElementsOf(fixture);
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.fixtureReport());
      assertThat(reader.list(false))
          .containsExactly(
              new TraceSummary(TestSupport.FIXTURE_BASE_ID, "2024-01-02T03:04:05.123456"));
      assertThat(reader.list(true))
          .containsExactly(
              new TraceSummary(TestSupport.FIXTURE_BASE_ID, "2024-01-02T03:04:05.154456"));
    }
  }

  @Test
  void weftEvents_storeInOsprofilersLayout_indexed_andReadBackIntoTheSameReport() throws Exception {
    List<Event> batch = TestSupport.weftTrace();
    assertThat(batch).hasSize(6);
    String base = batch.get(0).baseId();
    Event failedStop = batch.get(3);
    assertThat(failedStop.name()).isEqualTo("charge-stop");
    try (Collector c = Collectors.collector(cs, Map.of("weft.filter_error_trace", "true"))) {
      c.store(batch);
    }
    List<String> json = new ArrayList<>();
    batch.forEach(e -> json.add(e.json()));

    // The layout, exactly: one document per event, the error index, the base_id index.
    List<Document> stored = new ArrayList<>();
    collection("profiler").find().forEach(stored::add);
    assertThat(stored).hasSize(6);
    for (int i = 0; i < 6; i++) {
      Document d = stored.get(i);
      d.remove("_id");
      assertThat(d).isEqualTo(Document.parse(json.get(i)));
    }
    List<Document> errors = new ArrayList<>();
    collection("profiler_error").find().forEach(errors::add);
    assertThat(errors).hasSize(1);
    errors.get(0).remove("_id");
    assertThat(errors.get(0))
        .isEqualTo(new Document("base_id", base).append("timestamp", failedStop.timestamp()));
    List<Object> indexKeys = new ArrayList<>();
    collection("profiler").listIndexes().forEach(ix -> indexKeys.add(ix.get("key")));
    assertThat(indexKeys).contains(new Document("base_id", 1));

    try (TraceReader reader = Collectors.reader(cs)) {
      List<String> events = reader.events(base);
      assertThat(events).containsExactlyInAnyOrderElementsOf(json);
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.report(json));
      assertThat(reader.list(false))
          .containsExactly(new TraceSummary(base, batch.get(4).timestamp()));
      assertThat(reader.list(true)).containsExactly(new TraceSummary(base, failedStop.timestamp()));
    }
  }

  @Test
  void withoutFilterErrorTrace_noErrorDocumentIsWritten() throws Exception {
    List<Event> batch = TestSupport.weftTrace();
    try (Collector c = Collectors.collector(cs, Map.of("weft.filter_error_trace", "false"))) {
      c.store(batch);
    }
    assertThat(collection("profiler").countDocuments()).isEqualTo(6);
    assertThat(collection("profiler_error").countDocuments()).isZero();
  }

  @Test
  void twoTraces_listInOrderOfTheirFirstEvent() throws Exception {
    List<Event> first = TestSupport.weftTrace();
    List<Event> second = TestSupport.weftTrace();
    try (Collector c = Collectors.collector(cs, Map.of())) {
      c.store(second);
      c.store(first);
    }
    try (TraceReader reader = Collectors.reader(cs)) {
      assertThat(reader.list(false))
          .containsExactly(
              new TraceSummary(first.get(0).baseId(), first.get(4).timestamp()),
              new TraceSummary(second.get(0).baseId(), second.get(4).timestamp()));
      assertThat(reader.events("no-such-trace")).isEmpty();
    }
  }
}
