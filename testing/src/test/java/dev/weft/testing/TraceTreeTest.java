package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  @BeforeAll
  static void record() {
    WeftTesting.recordInMemory();
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  private static String event(String name, String id, String parent, String ts) {
    return "{\"name\": \""
        + name
        + "\", \"base_id\": \"b\", \"trace_id\": \""
        + id
        + "\", \"parent_id\": \""
        + parent
        + "\", \"timestamp\": \""
        + ts
        + "\", \"info\": {\"host\": \"h\", \"k\": 1}}";
  }

  @Test
  void spansNestUnderTheirParents_inStartOrder_andAMissingStopIsShown() {
    TraceTree t =
        TraceTree.of(
            "b",
            List.of(
                event("wsgi-start", "r", "b", "2026-01-01T00:00:00.000001"),
                event("db-start", "d2", "r", "2026-01-01T00:00:00.000300"),
                event("redis-start", "d1", "r", "2026-01-01T00:00:00.000200"),
                event("redis-stop", "d1", "r", "2026-01-01T00:00:00.000250"),
                event("wsgi-stop", "r", "b", "2026-01-01T00:00:00.000900")));
    assertThat(t.render()).isEqualTo("wsgi\n  redis\n  db [no stop]\n");
    assertThat(t.complete()).isFalse();
    assertThat(t.render(TraceTree::nameAndInfo))
        .isEqualTo("wsgi {\"k\":1}\n  redis {\"k\":1}\n  db {\"k\":1} [no stop]\n");
    assertThat(t.roots().get(0).children().get(0).parentId()).isEqualTo("r");
  }

  /** As {@link #event}, with a service and a project. */
  private static String event(
      String name, String id, String parent, String ts, String service, String info) {
    return "{\"name\": \""
        + name
        + "\", \"base_id\": \"b\", \"trace_id\": \""
        + id
        + "\", \"parent_id\": \""
        + parent
        + "\", \"timestamp\": \""
        + ts
        + "\", \"info\": "
        + info
        + ", \"project\": \"p\", \"service\": \""
        + service
        + "\"}";
  }

  private static final List<String> TWO_SERVICES =
      List.of(
          event("db-start", "d", "w", "2026-01-01T00:00:00.000200", "api", "{\"n\": 2}"),
          event("db-stop", "d", "w", "2026-01-01T00:00:00.000300", "api", "{}"),
          event("redis-start", "r", "w", "2026-01-01T00:00:00.000100", "api", "{\"n\": 1}"),
          event("redis-stop", "r", "w", "2026-01-01T00:00:00.000150", "api", "{}"),
          event("wsgi-start", "w", "b", "2026-01-01T00:00:00.000001", "web", "{\"n\": 0}"),
          event("wsgi-stop", "w", "b", "2026-01-01T00:00:00.000900", "web", "{\"s\": 201}"));

  @Test
  void spansShowTheirEventsServiceAndChildren() {
    TraceTree t = TraceTree.of("b", TWO_SERVICES);
    assertThat(t.problems()).isEmpty();
    TraceTree.Span wsgi = t.root();
    assertThat(wsgi.name()).isEqualTo("wsgi");
    assertThat(wsgi.service()).isEqualTo("web");
    assertThat(wsgi.childNames()).containsExactly("redis", "db");
    assertThat(wsgi.children().get(1).service()).isEqualTo("api");
    assertThat(wsgi.startEvent().path("project").asText()).isEqualTo("p");
    assertThat(wsgi.startEvent().path("timestamp").asText())
        .isEqualTo("2026-01-01T00:00:00.000001");
    assertThat(wsgi.stopEvent().path("name").asText()).isEqualTo("wsgi-stop");
    assertThat(wsgi.stopEvent().path("timestamp").asText()).isEqualTo("2026-01-01T00:00:00.000900");
    assertThat(wsgi.toString()).isEqualTo("wsgi [web] {\"n\":0} -> {\"s\":201}");
    assertThat(t.render(TraceTree.Span::toString))
        .isEqualTo(
            "wsgi [web] {\"n\":0} -> {\"s\":201}\n"
                + "  redis [api] {\"n\":1} -> {}\n"
                + "  db [api] {\"n\":2} -> {}\n");
    assertThat(t.names()).containsExactly("db", "redis", "wsgi");
    assertThat(t.all()).extracting(TraceTree.Span::id).containsExactly("w", "r", "d");
    assertThat(t.eventCount()).isEqualTo(6);
    assertThat(t.events())
        .extracting(e -> e.path("name").asText())
        .containsExactly(
            "db-start", "db-stop", "redis-start", "redis-stop", "wsgi-start", "wsgi-stop");
    assertThatThrownBy(wsgi::only)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "wsgi has 2 children, not 1\n  redis [api] {\"n\":1} -> {}\n  db [api] {\"n\":2} -> {}");
    assertThat(wsgi.children().get(0).childNames()).isEmpty();
  }

  @Test
  void theOnlyChildAndTheOnlyRoot() {
    TraceTree t =
        TraceTree.of(
            "b",
            List.of(
                event("a-start", "a", "b", "2026-01-01T00:00:00.000001"),
                event("c-start", "c", "a", "2026-01-01T00:00:00.000002"),
                event("c-stop", "c", "a", "2026-01-01T00:00:00.000003"),
                event("a-stop", "a", "b", "2026-01-01T00:00:00.000004"),
                event("x-start", "x", "elsewhere", "2026-01-01T00:00:00.000005")));
    assertThat(t.roots()).extracting(TraceTree.Span::name).containsExactly("a", "x");
    assertThat(t.roots().get(0).only().name()).isEqualTo("c");
    assertThat(t.roots().get(1).toString()).isEqualTo("x [] {\"host\":\"h\",\"k\":1} -> (no stop)");
    assertThatThrownBy(t::root)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "trace b has 2 roots, not 1:\n"
                + "a [] {\"host\":\"h\",\"k\":1} -> {\"host\":\"h\",\"k\":1}\n"
                + "  c [] {\"host\":\"h\",\"k\":1} -> {\"host\":\"h\",\"k\":1}\n"
                + "x [] {\"host\":\"h\",\"k\":1} -> (no stop) [no stop]\n");
  }

  @Test
  void eventsThatDoNotFitTogetherAreProblems() {
    TraceTree t =
        TraceTree.of(
            "b",
            List.of(
                event("a-start", "a", "b", "2026-01-01T00:00:00.000001"),
                event("a-start", "a", "b", "2026-01-01T00:00:00.000002"),
                event("a-stop", "a", "b", "2026-01-01T00:00:00.000003"),
                event("a-stop", "a", "b", "2026-01-01T00:00:00.000004"),
                event("lone-stop", "l", "a", "2026-01-01T00:00:00.000005"),
                event("db-start", "d", "a", "2026-01-01T00:00:00.000006"),
                event("redis-stop", "d", "a", "2026-01-01T00:00:00.000007"),
                event("e-start", "e", "a", "2026-01-01T00:00:00.000008"),
                event("e-stop", "e", "b", "2026-01-01T00:00:00.000009"),
                event("other", "o", "a", "2026-01-01T00:00:00.000010"),
                event("p-start", "p", "q", "2026-01-01T00:00:00.000011"),
                event("p-stop", "p", "q", "2026-01-01T00:00:00.000012"),
                event("q-start", "q", "p", "2026-01-01T00:00:00.000013"),
                event("q-stop", "q", "p", "2026-01-01T00:00:00.000014")));
    assertThat(t.problems())
        .containsExactly(
            "a second start event of span a: "
                + event("a-start", "a", "b", "2026-01-01T00:00:00.000002"),
            "a second stop event of span a: "
                + event("a-stop", "a", "b", "2026-01-01T00:00:00.000004"),
            "an event that is neither a start nor a stop: "
                + event("other", "o", "a", "2026-01-01T00:00:00.000010"),
            "a stop event without its start event: "
                + "{\"name\":\"lone-stop\",\"base_id\":\"b\",\"trace_id\":\"l\","
                + "\"parent_id\":\"a\",\"timestamp\":\"2026-01-01T00:00:00.000005\","
                + "\"info\":{\"host\":\"h\",\"k\":1}}",
            "span d started as db and stopped as redis-stop",
            "span e started below a and stopped below b",
            "spans whose parents form a cycle, below no root: [p, q]");
    assertThat(t.render()).isEqualTo("a\n  lone\n  db\n  e\n");
    assertThat(TraceTree.of("b", List.of(event("a-start", "a", "b", "t"))).problems()).isEmpty();
  }

  @Test
  void aTraceIsSettledWhenEverySpanStoppedAndEveryParentIsKnown() {
    String aStart = event("a-start", "a", "b", "2026-01-01T00:00:00.000001");
    String aStop = event("a-stop", "a", "b", "2026-01-01T00:00:00.000004");
    String cStart = event("c-start", "c", "a", "2026-01-01T00:00:00.000002");
    String cStop = event("c-stop", "c", "a", "2026-01-01T00:00:00.000003");
    String xStart = event("x-start", "x", "ext", "2026-01-01T00:00:00.000005");
    String xStop = event("x-stop", "x", "ext", "2026-01-01T00:00:00.000006");
    assertThat(TraceTree.of("b", List.of()).settled(Set.of())).isFalse();
    assertThat(TraceTree.of("b", List.of(aStart, aStop, cStart, cStop)).settled(Set.of())).isTrue();
    // a span still open
    assertThat(TraceTree.of("b", List.of(aStart, cStart, cStop)).settled(Set.of())).isFalse();
    // a parent not stored yet (a span ends after its children)
    assertThat(TraceTree.of("b", List.of(cStart, cStop)).settled(Set.of())).isFalse();
    // a parent recorded elsewhere
    assertThat(TraceTree.of("b", List.of(xStart, xStop)).settled(Set.of())).isFalse();
    assertThat(TraceTree.of("b", List.of(xStart, xStop)).settled(Set.of("ext"))).isTrue();
    assertThat(
            TraceTree.of("b", List.of(aStart, aStop, xStart, xStop, cStart, cStop))
                .settled(Set.of("ext")))
        .isTrue();
  }

  @Test
  void recordsSpansInMemory_andReadsThemBack() throws Exception {
    try (TraceScope scope = Trace.begin("base-testing-1", null, null)) {
      try (Span outer = Trace.span("outer")) {
        try (Span inner = Trace.span("inner")) {
          Trace.annotate("step", "1");
        }
      }
    }
    WeftTesting.assertNoLeakedContext();
    TraceTree t = WeftTesting.recorded("base-testing-1");
    assertThat(t.render()).isEqualTo("outer\n  inner\n");
    assertThat(t.complete()).isTrue();
    assertThat(t.roots().get(0).parentId()).isEqualTo("base-testing-1");
    assertThat(WeftTesting.recordedTraces()).contains("base-testing-1");
  }

  @Test
  void aLeakedContextFails() {
    TraceScope scope = Trace.begin("base-leak", null, null);
    try {
      assertThatThrownBy(WeftTesting::assertNoLeakedContext)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("base_id base-leak");
    } finally {
      scope.close();
    }
    WeftTesting.assertNoLeakedContext();
  }
}
