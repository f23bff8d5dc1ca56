package dev.weft.instrumentation.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** What a MongoDB span records of a filter or document: its shape, every value as "?". */
class MongoTracingTest {
  @Test
  void everyValueBecomesAQuestionMark_theShapeStays() {
    BsonDocument filter =
        BsonDocument.parse(
            "{\"name\": \"S3CR3T\", \"age\": {\"$gt\": 42}, \"tags\": [\"a\", 7], \"n\": null}");
    assertThat(MongoTracing.redact(filter))
        .isEqualTo(
            "{\"name\": \"?\", \"age\": {\"$gt\": \"?\"}, \"tags\": [\"?\", \"?\"], \"n\": \"?\"}");
    assertThat(MongoTracing.redact(null)).isNull();
  }

  @Test
  void deepAndWideDocumentsAreCut() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      deep.append("{\"d\": ");
    }
    deep.append("1").append("}".repeat(40));
    String r = MongoTracing.redact(BsonDocument.parse(deep.toString()));
    assertThat(r).doesNotContain("1").contains("\"d\": \"?\"");
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 100; i++) {
      wide.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": ").append(i);
    }
    BsonDocument wideDoc = BsonDocument.parse(wide.append('}').toString());
    String bounded = MongoTracing.redact(wideDoc);
    assertThat(bounded).hasSize(256 + "...".length()).endsWith("...");
    dev.weft.Weft.set("weft.max_value_length", "4096");
    try {
      assertThat(MongoTracing.redact(wideDoc))
          .endsWith("\"k31\": \"?\", \"...\": \"?\"}")
          .doesNotContain("k32");
    } finally {
      dev.weft.Weft.set("weft.max_value_length", null);
    }
  }
}
