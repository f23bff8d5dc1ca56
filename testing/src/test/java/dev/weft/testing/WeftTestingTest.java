package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeftTestingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void record() {
    WeftTesting.recordInMemory();
    Weft.set("weft.service", "kit-service");
    Weft.set("weft.project", "kit-project");
    Weft.set("weft.host", "kit-host");
  }

  @AfterAll
  static void reset() {
    WeftTesting.clearRecorded();
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void empty() {
    WeftTesting.clearRecorded();
  }

  /** A trace of two nested spans, {@code outer} and {@code inner}, below {@code parent}. */
  private static void twoSpans(String baseId, String parent) {
    try (TraceScope t = Trace.begin(baseId, parent, null)) {
      try (Span outer = Trace.span("outer")) {
        try (Span inner = Trace.span("inner")) {
          Trace.annotate("step", "1");
        }
      }
    }
  }

  private static List<String> field(List<String> events, String field) throws Exception {
    List<String> out = new ArrayList<>();
    for (String e : events) {
      out.add(JSON.readTree(e).path(field).asText());
    }
    return out;
  }

  @Test
  void clearRecordedDropsWhatWasRecorded_andLaterSpansAreRecorded() throws Exception {
    twoSpans("base-kit-clear-1", null);
    assertThat(WeftTesting.recordedTraces()).containsExactly("base-kit-clear-1");
    WeftTesting.clearRecorded();
    assertThat(WeftTesting.recordedTraces()).isEmpty();
    assertThat(WeftTesting.recordedEvents()).isEmpty();
    assertThat(WeftTesting.recordedEvents("base-kit-clear-1")).isEmpty();
    twoSpans("base-kit-clear-2", null);
    assertThat(WeftTesting.recordedTraces()).containsExactly("base-kit-clear-2");
  }

  @Test
  void recordedEventsOfATraceAreItsEventsInStoredOrder() throws Exception {
    twoSpans("base-kit-events", null);
    List<String> events = WeftTesting.recordedEvents("base-kit-events");
    assertThat(field(events, "name"))
        .containsExactly("inner-start", "inner-stop", "outer-start", "outer-stop");
    assertThat(field(events, "base_id")).containsOnly("base-kit-events");
    assertThat(field(events, "service")).containsOnly("kit-service");
    assertThat(field(events, "project")).containsOnly("kit-project");
    assertThat(JSON.readTree(events.get(0)).path("info"))
        .isEqualTo(JSON.readTree("{\"step\": \"1\", \"host\": \"kit-host\"}"));
    assertThat(JSON.readTree(events.get(1)).path("info"))
        .isEqualTo(JSON.readTree("{\"host\": \"kit-host\"}"));
    assertThat(WeftTesting.recordedEvents("base-kit-unknown")).isEmpty();
  }

  @Test
  void recordedEventsOfEveryTraceComeTraceByTrace() throws Exception {
    twoSpans("base-kit-all-1", null);
    twoSpans("base-kit-all-2", null);
    List<String> all = WeftTesting.recordedEvents();
    assertThat(field(all, "base_id"))
        .containsExactly(
            "base-kit-all-1",
            "base-kit-all-1",
            "base-kit-all-1",
            "base-kit-all-1",
            "base-kit-all-2",
            "base-kit-all-2",
            "base-kit-all-2",
            "base-kit-all-2");
    List<String> expected = new ArrayList<>(WeftTesting.recordedEvents("base-kit-all-1"));
    expected.addAll(WeftTesting.recordedEvents("base-kit-all-2"));
    assertThat(all).isEqualTo(expected);
  }

  @Test
  void settledReadsTheWholeTrace() throws Exception {
    twoSpans("base-kit-settled", null);
    TraceTree t = WeftTesting.settled("base-kit-settled");
    assertThat(t.render()).isEqualTo("outer\n  inner\n");
    assertThat(t.root().parentId()).isEqualTo("base-kit-settled");
    assertThat(t.root().service()).isEqualTo("kit-service");
    assertThat(t.root().only().name()).isEqualTo("inner");
    assertThat(t.eventCount()).isEqualTo(4);
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void settledWithExternalParents_acceptsSpansBelowThem() throws Exception {
    twoSpans("base-kit-external", "span-of-another-process");
    TraceTree t = WeftTesting.settled("base-kit-external", Set.of("span-of-another-process"));
    assertThat(t.settled(Set.of("span-of-another-process"))).isTrue();
    assertThat(t.settled(Set.of())).isFalse();
    assertThat(t.root().parentId()).isEqualTo("span-of-another-process");
    assertThat(t.render()).isEqualTo("outer\n  inner\n");
  }

  @Test
  void awaitSettledReturnsWhatIsThereWhenTheTimeoutIsUp() throws Exception {
    twoSpans("base-kit-unsettled", "span-of-another-process");
    long started = System.nanoTime();
    TraceTree t =
        TraceTree.awaitSettled("memory://", "base-kit-unsettled", Set.of(), Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(300));
    assertThat(t.settled(Set.of())).isFalse();
    assertThat(t.render()).isEqualTo("outer\n  inner\n");
    TraceTree none =
        TraceTree.awaitSettled("memory://", "base-kit-none", Set.of(), Duration.ofMillis(50));
    assertThat(none.eventCount()).isZero();
    assertThat(none.settled(Set.of())).isFalse();
  }

  @Test
  void settledFailsForEventsThatDoNotFitTogether() throws Exception {
    String start =
        "{\"name\": \"db-start\", \"base_id\": \"base-kit-bad\", \"trace_id\": \"s1\","
            + " \"parent_id\": \"base-kit-bad\", \"timestamp\": \"2026-01-01T00:00:00.000001\","
            + " \"info\": {}}";
    String stop =
        "{\"name\": \"redis-stop\", \"base_id\": \"base-kit-bad\", \"trace_id\": \"s1\","
            + " \"parent_id\": \"base-kit-bad\", \"timestamp\": \"2026-01-01T00:00:00.000002\","
            + " \"info\": {}}";
    try (Collector c = Weft.collector("memory://")) {
      c.store(
          List.of(
              new Event("base-kit-bad", "db-start", start, "2026-01-01T00:00:00.000001", false),
              new Event("base-kit-bad", "redis-stop", stop, "2026-01-01T00:00:00.000002", false)));
    }
    assertThatThrownBy(() -> WeftTesting.settled("base-kit-bad"))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "the events of trace base-kit-bad do not fit together: [span s1 started as db and"
                + " stopped as redis-stop]");
  }

  @Test
  void recordedEventsParseAsTheTreeReadsThem() throws Exception {
    twoSpans("base-kit-tree", null);
    TraceTree t = TraceTree.of("base-kit-tree", WeftTesting.recordedEvents("base-kit-tree"));
    List<String> parsed = new ArrayList<>();
    for (JsonNode e : t.events()) {
      parsed.add(e.path("name").asText());
    }
    assertThat(parsed).containsExactly("inner-start", "inner-stop", "outer-start", "outer-stop");
    assertThat(t.render()).isEqualTo(WeftTesting.recorded("base-kit-tree").render());
  }
}
