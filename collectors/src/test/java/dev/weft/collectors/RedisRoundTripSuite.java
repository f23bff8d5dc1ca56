package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Weft;
import dev.weft.internal.collect.Collectors;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Round trips through {@code redis://} against a real redis-server: what Weft stores reads back
 * into the same report, and what OSProfiler stores (its list layout and its legacy
 * one-key-per-event layout) reads back into OSProfiler's own report. Run against the embedded
 * redis-server and, with {@code WEFT_IT_SERVICES=1}, the Redis at 127.0.0.1:6379.
 */
abstract class RedisRoundTripSuite {
  private final List<String> touchedBases = new ArrayList<>();

  /** host:port of the Redis under test. */
  abstract String hostPort();

  String connectionString() {
    return "redis://" + hostPort();
  }

  JedisPooled client() {
    String[] hp = hostPort().split(":");
    return new JedisPooled(hp[0], Integer.parseInt(hp[1]));
  }

  @BeforeAll
  static void weftToMemory() {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.connection_string", "memory://");
  }

  @AfterAll
  static void resetWeft() {
    Weft.resetRuntimeChanges();
  }

  /** Skips each test, visibly, when the Redis under test is not to be used. */
  void assumeAvailable() {}

  @BeforeEach
  void cleanFixture() {
    assumeAvailable();
    touchedBases.add(TestSupport.FIXTURE_BASE_ID);
    deleteTouched();
  }

  @AfterEach
  void cleanUp() {
    if (!touchedBases.isEmpty()) {
      deleteTouched();
    }
  }

  private void deleteTouched() {
    try (JedisPooled r = client()) {
      for (String base : touchedBases) {
        r.del(RedisKeys.list(base), RedisKeys.error(base));
        for (String k : scan(r, "osprofiler:" + base + "_*")) {
          r.del(k);
        }
      }
    }
  }

  static List<String> scan(JedisPooled r, String pattern) {
    List<String> keys = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> s = r.scan(cursor, new ScanParams().match(pattern).count(1000));
      keys.addAll(s.getResult());
      cursor = s.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  private Collector collector(boolean filterErrors) throws Exception {
    return Collectors.collector(
        connectionString(), Map.of("weft.filter_error_trace", Boolean.toString(filterErrors)));
  }

  @Test
  void osprofilerListLayout_readsBackAsOsprofilersOwnReport() throws Exception {
    List<String> fixture = TestSupport.fixtureEvents();
    try (JedisPooled r = client()) {
      for (String e : fixture) { // OSProfiler's notify(): one LPUSH per event, as it happens
        r.lpush("osprofiler_opt:" + TestSupport.FIXTURE_BASE_ID, e);
      }
    }
    try (TraceReader reader = Collectors.reader(connectionString())) {
      // OSProfiler's order: LRANGE 0 -1, newest first
      List<String> newestFirst = new ArrayList<>(fixture);
      Collections.reverse(newestFirst);
      List<String> events = reader.events(TestSupport.FIXTURE_BASE_ID);
      assertThat(events).containsExactlyElementsOf(newestFirst);
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.fixtureReport());
      // `osprofiler trace list` shows LINDEX key 1: the second-newest event
      assertThat(reader.list(false))
          .contains(
              new TraceSummary(
                  TestSupport.FIXTURE_BASE_ID,
                  TestSupport.tree(newestFirst.get(1)).get("timestamp").asText()));
      assertThat(reader.list(true))
          .extracting(TraceSummary::baseId)
          .doesNotContain(TestSupport.FIXTURE_BASE_ID);
    }
  }

  @Test
  void osprofilerLegacyKeys_readBackAsOsprofilersOwnReport() throws Exception {
    List<String> fixture = TestSupport.fixtureEvents();
    try (JedisPooled r = client()) {
      for (String e : fixture) { // OSProfiler before the list layout: one key per event
        JsonNode n = TestSupport.tree(e);
        r.set(
            "osprofiler:"
                + n.get("base_id").asText()
                + "_"
                + n.get("trace_id").asText()
                + "_"
                + n.get("timestamp").asText(),
            e);
      }
    }
    try (TraceReader reader = Collectors.reader(connectionString())) {
      List<String> events = reader.events(TestSupport.FIXTURE_BASE_ID);
      // OSProfiler reads the legacy keys in SCAN order: Redis's, not the events'
      assertThat(events).containsExactlyInAnyOrderElementsOf(fixture);
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.fixtureReport());
      // for the legacy layout, OSProfiler lists the earliest event
      assertThat(reader.list(false))
          .contains(new TraceSummary(TestSupport.FIXTURE_BASE_ID, "2024-01-02T03:04:05.123456"));
    }
  }

  @Test
  void legacyKeysAndListOfOneTrace_mergeIntoOneReport() throws Exception {
    List<String> fixture = TestSupport.fixtureEvents();
    try (JedisPooled r = client()) {
      for (int i = 0; i < fixture.size(); i++) {
        String e = fixture.get(i);
        JsonNode n = TestSupport.tree(e);
        if (i % 2 == 0) {
          r.set(
              "osprofiler:"
                  + n.get("base_id").asText()
                  + "_"
                  + n.get("trace_id").asText()
                  + "_"
                  + n.get("timestamp").asText(),
              e);
        } else {
          r.lpush("osprofiler_opt:" + TestSupport.FIXTURE_BASE_ID, e);
        }
      }
    }
    try (TraceReader reader = Collectors.reader(connectionString())) {
      List<String> legacy = new ArrayList<>();
      List<String> listed = new ArrayList<>();
      for (int i = 0; i < fixture.size(); i++) {
        (i % 2 == 0 ? legacy : listed).add(fixture.get(i));
      }
      Collections.reverse(listed);
      List<String> events = reader.events(TestSupport.FIXTURE_BASE_ID);
      // OSProfiler's order: the legacy keys (SCAN order), then the list, newest first
      assertThat(events.subList(0, legacy.size())).containsExactlyInAnyOrderElementsOf(legacy);
      assertThat(events.subList(legacy.size(), events.size())).containsExactlyElementsOf(listed);
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.fixtureReport());
      assertThat(reader.list(false))
          .filteredOn(s -> s.baseId().equals(TestSupport.FIXTURE_BASE_ID))
          .containsExactly(
              new TraceSummary(TestSupport.FIXTURE_BASE_ID, "2024-01-02T03:04:05.123456"));
    }
  }

  @Test
  void weftEvents_storeInOsprofilersLayout_andReadBackIntoTheSameReport() throws Exception {
    List<Event> batch = TestSupport.weftTrace();
    assertThat(batch).hasSize(6);
    String base = batch.get(0).baseId();
    touchedBases.add(base);
    try (Collector c = collector(true)) {
      c.store(batch);
    }
    List<String> json = new ArrayList<>();
    batch.forEach(e -> json.add(e.json()));
    Event failedStop = batch.get(3);
    try (JedisPooled r = client()) {
      // The layout, exactly: one list, newest first, and the error index.
      List<String> newestFirst = new ArrayList<>(json);
      Collections.reverse(newestFirst);
      assertThat(r.lrange("osprofiler_opt:" + base, 0, -1)).isEqualTo(newestFirst);
      assertThat(failedStop.name()).isEqualTo("charge-stop");
      assertThat(failedStop.error()).isTrue();
      assertThat(r.get("osprofiler_error:" + base))
          .isEqualTo(
              "{\"base_id\": \"" + base + "\", \"timestamp\": \"" + failedStop.timestamp() + "\"}");
    }
    try (TraceReader reader = Collectors.reader(connectionString())) {
      List<String> events = reader.events(base);
      List<String> newestFirst = new ArrayList<>(json);
      Collections.reverse(newestFirst);
      assertThat(events).containsExactlyElementsOf(newestFirst);
      // the report OSProfiler builds from this list: siblings that start in the same millisecond
      // in the order it reads them, newest first
      assertThat(TestSupport.report(events)).isEqualTo(TestSupport.report(newestFirst));
      String rootStart = batch.get(4).timestamp();
      assertThat(batch.get(4).name()).isEqualTo("checkout-start");
      assertThat(reader.list(false)).contains(new TraceSummary(base, rootStart));
      assertThat(reader.list(true)).contains(new TraceSummary(base, failedStop.timestamp()));
    }
  }

  @Test
  void aBatchOfSeveralChunks_keepsEachTracesOrder_andNamesExactlyTheEventsRedisRefused()
      throws Exception {
    // 3 traces interleaved over 600 events: five chunks of up to 128 events, each with an LPUSH
    // per trace. The list of "refused" is a string, so Redis refuses its LPUSH in every chunk
    // (WRONGTYPE) and applies the others'.
    String a = "chunks-a-" + UUID.randomUUID();
    String b = "chunks-b-" + UUID.randomUUID();
    String refused = "chunks-refused-" + UUID.randomUUID();
    touchedBases.addAll(List.of(a, b, refused));
    String[] bases = {a, b, refused};
    List<Event> batch = new ArrayList<>();
    Map<String, List<String>> sent = new java.util.HashMap<>();
    for (int i = 0; i < 600; i++) {
      String base = bases[(i / 2) % 3 == 2 && i % 7 == 0 ? 0 : (i / 2) % 3];
      String json = "{\"base_id\": \"" + base + "\", \"seq\": " + i + "}";
      batch.add(new Event(base, "op-" + (i % 2 == 0 ? "start" : "stop"), json, "t", false));
      sent.computeIfAbsent(base, k -> new ArrayList<>()).add(json);
    }
    try (JedisPooled r = client()) {
      r.set(RedisKeys.list(refused), "not a list");
    }
    try (Collector c = collector(false)) {
      assertThatThrownBy(() -> c.store(batch))
          .isInstanceOfSatisfying(
              dev.weft.spi.PartialFailure.class,
              pf -> {
                assertThat(pf.failedTraces()).containsExactly(refused);
                assertThat(pf.failedEvents()).isEqualTo(sent.get(refused).size());
              })
          .hasMessageContaining("WRONGTYPE");
      // The connection is still in step: the next batch is stored whole.
      List<Event> next = List.of(new Event(b, "late-start", "{\"late\": 1}", "t", false));
      c.store(next);
    }
    try (JedisPooled r = client()) {
      for (String base : List.of(a, b)) {
        List<String> newestFirst = new ArrayList<>(sent.get(base));
        if (base.equals(b)) {
          newestFirst.add("{\"late\": 1}");
        }
        Collections.reverse(newestFirst);
        assertThat(r.lrange(RedisKeys.list(base), 0, -1)).isEqualTo(newestFirst);
      }
      assertThat(r.get(RedisKeys.list(refused))).isEqualTo("not a list");
    }
  }

  @Test
  void withoutFilterErrorTrace_noErrorIndexIsWritten() throws Exception {
    List<Event> batch = TestSupport.weftTrace();
    String base = batch.get(0).baseId();
    touchedBases.add(base);
    try (Collector c = collector(false)) {
      c.store(batch);
    }
    try (JedisPooled r = client()) {
      assertThat(r.exists("osprofiler_error:" + base)).isFalse();
      assertThat(r.llen("osprofiler_opt:" + base)).isEqualTo(6);
    }
  }

  @Test
  void unknownTrace_readsBackEmpty() throws Exception {
    try (TraceReader reader = Collectors.reader(connectionString())) {
      assertThat(reader.events(UUID.randomUUID().toString())).isEmpty();
    }
  }

  private static String timestamp(String json) {
    try {
      return TestSupport.tree(json).get("timestamp").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Key names, spelled out once for the tests. */
  static final class RedisKeys {
    static String list(String base) {
      return "osprofiler_opt:" + base;
    }

    static String error(String base) {
      return "osprofiler_error:" + base;
    }
  }

  @Test
  void aBatchReadInPlaceIsStoredAsTheSameBytesAsItsEvents() throws Exception {
    String a = "in-place-a-" + UUID.randomUUID();
    String b = "in-place-b-" + UUID.randomUUID();
    touchedBases.add(a);
    touchedBases.add(b);
    Collector store = collector(true);
    List<Event> copies = new ArrayList<>();
    List<Boolean> inPlace = new ArrayList<>();
    dev.weft.internal.pipeline.Pipeline p =
        new dev.weft.internal.pipeline.Pipeline(
            64,
            64,
            batch -> {
              inPlace.add(batch instanceof dev.weft.spi.EventBatch);
              copies.addAll(batch); // self-contained events, taken before the slots are reused
              store.store(batch);
            },
            new dev.weft.internal.pipeline.EventEncoder("proj", "svc", "host-1"));
    dev.weft.internal.context.ManualShape shape =
        new dev.weft.internal.context.ManualShape("annotated");
    for (int i = 0; i < 20; i++) {
      dev.weft.internal.context.SpanRecord r = new dev.weft.internal.context.SpanRecord();
      r.name = "op";
      r.shape = shape;
      r.baseId = i % 2 == 0 ? a : b;
      r.parentText = r.baseId;
      r.idHi = 0x0000000000004000L | i;
      r.idLo = 0x8000000000000000L | i;
      r.startTick = System.nanoTime();
      r.stopTick = r.startTick + 1000;
      r.extra = Map.of("seq", "\u00e9 " + i);
      if (i == 7) {
        r.etype = "KeyError";
        r.message = "'x'";
      }
      p.offer(r);
    }
    assertThat(p.flush(20_000)).isTrue();
    p.shutdown(5_000);
    assertThat(inPlace).isNotEmpty().containsOnly(true);
    assertThat(copies).hasSize(40);

    List<List<byte[]>> fromBatch = lists(a, b);
    String errorFromBatch;
    try (JedisPooled r = client()) {
      errorFromBatch = r.get(RedisKeys.error(b));
      r.del(RedisKeys.list(a), RedisKeys.list(b), RedisKeys.error(b));
    }
    store.store(copies);
    List<List<byte[]>> fromEvents = lists(a, b);
    try (JedisPooled r = client()) {
      assertThat(r.get(RedisKeys.error(b))).isNotNull().isEqualTo(errorFromBatch);
      assertThat(r.exists(RedisKeys.error(a))).isFalse();
    }
    store.close();
    assertThat(fromBatch.get(0)).hasSize(20);
    for (int k = 0; k < 2; k++) {
      assertThat(fromBatch.get(k)).hasSameSizeAs(fromEvents.get(k));
      for (int i = 0; i < fromBatch.get(k).size(); i++) {
        assertThat(fromBatch.get(k).get(i)).isEqualTo(fromEvents.get(k).get(i));
      }
    }
    // newest first, as LPUSH of the batch in order leaves them
    assertThat(new String(fromBatch.get(0).get(0), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(copies.get(37).json());
  }

  private List<List<byte[]>> lists(String... bases) {
    List<List<byte[]>> out = new ArrayList<>();
    try (JedisPooled r = client()) {
      for (String base : bases) {
        out.add(
            r.lrange(
                RedisKeys.list(base).getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, -1));
      }
    }
    return out;
  }
}
