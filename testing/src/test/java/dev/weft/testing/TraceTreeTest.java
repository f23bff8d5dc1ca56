package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import java.util.List;
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
