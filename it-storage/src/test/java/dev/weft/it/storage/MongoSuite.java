package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.db;
import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.tracing.SqlSanitizer;
import dev.weft.testing.RecordedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MongoDB operations through mongodb-driver-sync, load-time woven. */
abstract class MongoSuite {
  static final String SECRET = "s3cret-filter-value";

  abstract String connectionString();

  static MongoClient client;
  MongoCollection<Document> items;

  @BeforeAll
  static void configure() {
    Spans.configure();
    Weft.set("weft.trace.pooling", "false");
  }

  @AfterAll
  static void reset() {
    Spans.reset();
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @BeforeEach
  void connect() {
    if (client == null) {
      client = MongoClients.create(connectionString());
    }
    items = client.getDatabase("weftit").getCollection("items");
    items.drop();
    Spans.clear();
  }

  static Map<String, Object> mongo(String op, String statement) {
    Map<String, Object> m =
        map("system", "mongodb", "namespace", "weftit", "collection", "items", "operation", op);
    if (statement != null) {
      m.put("statement", statement);
    }
    return db(m);
  }

  @Test
  void insertAndFindAreOneSpanEach_withValuesReplaced() {
    String base;
    try (TraceScope t = Trace.begin("mongo-base-1", null, null)) {
      base = t.baseId();
      items.insertOne(new Document("_id", 7).append("owner", SECRET).append("n", 3));
      Document found =
          items.find(Filters.and(Filters.eq("owner", SECRET), Filters.gt("n", 1))).first();
      assertThat(found).isNotNull();
      assertThat(found.getInteger("n")).isEqualTo(3);
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            mongo("insert", "{\"_id\": \"?\", \"owner\": \"?\", \"n\": \"?\"}"),
            mongo("find", "{\"$and\": [{\"owner\": \"?\"}, {\"n\": {\"$gt\": \"?\"}}]}"));
    assertThat(spans).extracting(RecordedSpan::name).containsOnly("mongodb");
    assertThat(spans).extracting(RecordedSpan::parent).containsOnly(base);
    assertThat(spans).extracting(RecordedSpan::stopInfo).containsOnly(Spans.hostOnly());
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void cursorGetMoreIsNotASpanOfItsOwn() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      docs.add(new Document("_id", i).append("queue", "q"));
    }
    items.insertMany(docs);
    Spans.clear();
    String base;
    try (TraceScope t = Trace.begin("mongo-base-2", null, null)) {
      base = t.baseId();
      List<Document> all =
          items.find(Filters.eq("queue", "q")).batchSize(2).into(new ArrayList<>());
      assertThat(all).hasSize(5);
    }
    assertThat(Spans.of(base))
        .extracting(RecordedSpan::info)
        .containsExactly(mongo("find", "{\"queue\": \"?\"}"));
  }

  @Test
  void updatesDeletesAndAggregatesRecordTheirShapes() {
    items.insertOne(new Document("_id", 1).append("owner", SECRET).append("tags", List.of("a")));
    Spans.clear();
    String base;
    try (TraceScope t = Trace.begin("mongo-base-3", null, null)) {
      base = t.baseId();
      items.updateOne(Filters.eq("owner", SECRET), Updates.set("state", SECRET));
      assertThat(items.countDocuments(Filters.in("owner", SECRET, "x"))).isEqualTo(1L);
      items.deleteMany(Filters.eq("_id", 1));
    }
    assertThat(Spans.of(base))
        .extracting(RecordedSpan::info)
        .containsExactly(
            mongo(
                "update",
                "{\"filter\": {\"owner\": \"?\"}, \"update\": {\"$set\": {\"state\": \"?\"}}}"),
            mongo("aggregate", "{\"owner\": {\"$in\": [\"?\", \"?\"]}}"),
            mongo("delete", "{\"_id\": \"?\"}"));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  /** Host and port of the server, as the driver names it in messages. */
  abstract String address();

  @Test
  void errorIsRecordedWithValuesScrubbed_andRethrownUnchanged() {
    items.insertOne(new Document("_id", 4242));
    Spans.clear();
    String base;
    MongoWriteException thrown;
    try (TraceScope t = Trace.begin("mongo-base-4", null, null)) {
      base = t.baseId();
      thrown =
          assertThrows(MongoWriteException.class, () -> items.insertOne(new Document("_id", 4242)));
    }
    assertThat(thrown.getCode()).isEqualTo(11000);
    RecordedSpan insert = Spans.of(base).get(0);
    assertThat(insert.info()).isEqualTo(mongo("insert", "{\"_id\": \"?\"}"));
    // The executor sees the bulk-write form; the collection API converts it afterwards.
    String raw =
        "Bulk write operation error on MongoDB server "
            + address()
            + ". Write errors: [BulkWriteError{index=0, code=11000, message='E11000 duplicate key"
            + " error collection: weftit.items index: _id_ dup key: { _id: 4242 }', details={}}]. ";
    assertThat(insert.stopInfo())
        .isEqualTo(
            map(
                "etype",
                "MongoBulkWriteException",
                "message",
                SqlSanitizer.message(raw),
                "host",
                "it-host"));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains("4242"));
  }

  @Test
  void nothingIsRecordedWhenSwitchedOff() {
    try (TraceScope t = Trace.begin("mongo-base-5", null, null)) {
      Weft.set("weft.trace.mongodb", "false");
      try {
        items.insertOne(new Document("_id", 2));
        assertThat(items.find().first()).isNotNull();
      } finally {
        Weft.set("weft.trace.mongodb", "true");
      }
    }
    assertThat(Spans.rawEvents()).isEmpty();
  }
}
