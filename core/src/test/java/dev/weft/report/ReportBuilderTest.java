package dev.weft.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path fixture(String name) {
    return Path.of(System.getProperty("weft.fixtures")).resolve(name);
  }

  private static List<Map<String, Object>> events(List<String> lines) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank()) {
        out.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
      }
    }
    return out;
  }

  /** Serialises and re-reads, so numbers compare as JSON numbers regardless of Java type. */
  private static JsonNode tree(Object report) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(report));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Asserts that every object in {@code actual} lists its members in {@code expected}'s order. */
  private static void assertKeyOrder(String path, JsonNode actual, JsonNode expected) {
    if (expected.isObject()) {
      assertThat(fieldNames(actual)).as("key order at %s", path).isEqualTo(fieldNames(expected));
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        assertKeyOrder(path + "." + f, actual.get(f), expected.get(f));
      }
    } else if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        assertKeyOrder(path + "[" + i + "]", actual.get(i), expected.get(i));
      }
    }
  }

  private static void collectInfos(JsonNode node, List<JsonNode> out) {
    out.add(node.get("info"));
    for (JsonNode c : node.get("children")) {
      collectInfos(c, out);
    }
  }

  @Test
  void zaqarRequest_equalsOsprofilersOwnReport() throws IOException {
    List<Map<String, Object>> events =
        events(Files.readAllLines(fixture("zaqar-request.events.jsonl"), StandardCharsets.UTF_8));
    assertThat(events).hasSize(6);
    JsonNode expected = JSON.readTree(fixture("zaqar-request.report.json").toFile());

    JsonNode actual = tree(new ReportBuilder().addAll(events).build());

    assertThat(actual).isEqualTo(expected);
    List<JsonNode> actualInfos = new ArrayList<>();
    List<JsonNode> expectedInfos = new ArrayList<>();
    collectInfos(actual, actualInfos);
    collectInfos(expected, expectedInfos);
    assertThat(actualInfos).hasSize(4); // total + wsgi + two controller calls
    for (int i = 0; i < expectedInfos.size(); i++) {
      assertThat(fieldNames(actualInfos.get(i)))
          .as("info key order of node %d", i)
          .isEqualTo(fieldNames(expectedInfos.get(i)));
    }
    assertKeyOrder("$", actual, expected);
  }

  @Test
  void zaqarRequest_eventOrderDoesNotMatter() throws IOException {
    List<Map<String, Object>> events =
        events(Files.readAllLines(fixture("zaqar-request.events.jsonl"), StandardCharsets.UTF_8));
    Collections.reverse(events);
    JsonNode expected = JSON.readTree(fixture("zaqar-request.report.json").toFile());

    assertThat(tree(new ReportBuilder().addAll(events).build())).isEqualTo(expected);
  }

  private static String event(String name, String traceId, String parentId, String ts) {
    return "{\"name\": \""
        + name
        + "\", \"base_id\": \"b\", \"trace_id\": \""
        + traceId
        + "\", \"parent_id\": \""
        + parentId
        + "\", \"timestamp\": \""
        + ts
        + "\", \"info\": {\"host\": \"h\"}, \"project\": \"p\", \"service\": \"s\"}";
  }

  @Test
  void missingStopEvent_givesZeroDurationAndNoException() throws IOException {
    // As osprofiler/drivers/base.py: a node without a stop gets finished = started, no
    // "exception" member, and "finished" is added last.
    String rootStart = event("wsgi-start", "r", "b", "2024-01-02T03:04:05.000000");
    String childStart = event("db-start", "c", "r", "2024-01-02T03:04:05.002500");
    String childStop = event("db-stop", "c", "r", "2024-01-02T03:04:05.010900");
    JsonNode actual =
        tree(new ReportBuilder().addAll(events(List.of(rootStart, childStart, childStop))).build());

    String expected =
        "{\"info\": {\"name\": \"total\", \"started\": 0, \"finished\": 10,"
            + " \"last_trace_started\": 2},"
            + " \"children\": [{\"info\": {\"name\": \"wsgi\", \"project\": \"p\","
            + " \"service\": \"s\", \"host\": \"h\", \"meta.raw_payload.wsgi-start\": "
            + rootStart
            + ", \"started\": 0, \"finished\": 0},"
            + " \"trace_id\": \"r\", \"parent_id\": \"b\", \"children\": ["
            + "{\"info\": {\"name\": \"db\", \"project\": \"p\", \"service\": \"s\","
            + " \"host\": \"h\", \"meta.raw_payload.db-start\": "
            + childStart
            + ", \"started\": 2, \"meta.raw_payload.db-stop\": "
            + childStop
            + ", \"finished\": 10, \"exception\": \"None\"},"
            + " \"trace_id\": \"c\", \"parent_id\": \"r\", \"children\": []}]}],"
            + " \"stats\": {\"wsgi\": {\"count\": 1, \"duration\": 0},"
            + " \"db\": {\"count\": 1, \"duration\": 8}}}";
    JsonNode expectedTree = JSON.readTree(expected);
    assertThat(actual).isEqualTo(expectedTree);
    assertKeyOrder("$", actual, expectedTree);
  }

  @Test
  void noEvents_isEmpty() throws IOException {
    ReportBuilder b = new ReportBuilder();
    assertThat(b.isEmpty()).isTrue();
    JsonNode actual = tree(b.build());
    assertThat(actual.toString())
        .isEqualTo(
            "{\"info\":{\"name\":\"total\",\"started\":0,\"finished\":null,"
                + "\"last_trace_started\":null},\"children\":[],\"stats\":{}}");
  }
}
