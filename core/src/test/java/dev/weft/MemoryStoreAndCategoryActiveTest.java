package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.TraceReader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Weft#clearMemoryStore()} and {@link Weft#categoryActive(String)}. */
class MemoryStoreAndCategoryActiveTest {
  @BeforeAll
  static void setUp() {
    Recorded.configure();
    Weft.set("weft.hmac_keys", "secret");
    Weft.set("weft.max_traces_per_second", "0");
  }

  @AfterAll
  static void tearDown() {
    Recorded.reset();
  }

  private static void oneSpan(String baseId) {
    try (TraceScope t = Trace.begin(baseId, null, null)) {
      try (Span s = Trace.span("step")) {
        Trace.annotate("k", "v");
      }
    }
  }

  private static List<String> stored(String baseId) throws Exception {
    try (TraceReader r = Weft.reader("memory://")) {
      return r.events(baseId);
    }
  }

  private static List<String> traces() throws Exception {
    try (TraceReader r = Weft.reader("memory://")) {
      return r.list(false).stream().map(TraceReader.TraceSummary::baseId).toList();
    }
  }

  @Test
  void clearMemoryStore_dropsEveryStoredEvent_andLaterSpansAreStoredAgain() throws Exception {
    oneSpan("base-clear-1");
    assertThat(Weft.flush()).isTrue();
    assertThat(stored("base-clear-1")).hasSize(2);
    assertThat(traces()).contains("base-clear-1");

    Weft.clearMemoryStore();
    assertThat(traces()).isEmpty();
    assertThat(stored("base-clear-1")).isEmpty();

    oneSpan("base-clear-2");
    assertThat(Weft.flush()).isTrue();
    assertThat(traces()).containsExactly("base-clear-2");
    assertThat(stored("base-clear-2")).hasSize(2);
  }

  @Test
  void categoryActive_followsTheProcessSwitch_theMasterSwitch_andATracesRequest() {
    try {
      Weft.set("weft.trace.sql", "true");
      assertThat(Weft.categoryActive("sql")).isTrue();
      Weft.set("weft.trace.sql", "false");
      assertThat(Weft.categoryActive("sql")).isFalse();
      assertThat(Weft.management().getCategories().get("sql")).isFalse();

      // A trace that asks for sql switches its flag on while it runs, not the configuration.
      try (TraceScope t = Trace.beginClient("secret", "sql")) {
        assertThat(Weft.categoryActive("sql")).isTrue();
        assertThat(Weft.management().getCategories().get("sql")).isFalse();
      }
      assertThat(Weft.categoryActive("sql")).isFalse();

      // The master switch off: nothing records, whatever the category's own switch says.
      Weft.set("weft.trace.sql", "true");
      Weft.set("weft.enabled", "false");
      assertThat(Weft.categoryActive("sql")).isFalse();
      assertThat(Weft.management().getCategories().get("sql")).isTrue();
      Weft.set("weft.enabled", "true");
      assertThat(Weft.categoryActive("sql")).isTrue();
    } finally {
      Weft.set("weft.trace.sql", null);
      Weft.set("weft.enabled", "true");
    }
    assertThatThrownBy(() -> Weft.categoryActive("no-such-category"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Weft category: no-such-category");
  }
}
