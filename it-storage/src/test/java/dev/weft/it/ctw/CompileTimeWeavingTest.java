package dev.weft.it.ctw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.testing.WeftTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The categories whose join points lie in application code work compile-time woven (ajc with
 * weft-aspects as an aspect library): pool selection ({@code @Traced(category = POOLING)}) and JDBC
 * calls made by the application. Nothing in {@code dev.weft.it.ctw} is named in aop.xml, so these
 * spans can only come from compile-time weaving.
 */
class CompileTimeWeavingTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "it-host");
    Weft.set("weft.trace.sql", "true");
  }

  @AfterAll
  static void reset() {
    WeftTesting.clearRecorded();
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void clear() {
    WeftTesting.clearRecorded();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> starts(String base) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String e : WeftTesting.recordedEvents(base)) {
      Map<String, Object> m = JSON.readValue(e, Map.class);
      if (((String) m.get("name")).endsWith("-start")) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void poolSelectionRecordsTheChosenPool() throws Exception {
    PoolSelector selector = new PoolSelector();
    try (TraceScope t = Trace.begin("ctw-base-1", null, null)) {
      assertThat(selector.select("fast-orders")).isEqualTo("redis-1");
      Weft.set("weft.trace.pooling", "false");
      try {
        assertThat(selector.select("slow-orders")).isEqualTo("mongo-1");
      } finally {
        Weft.set("weft.trace.pooling", null);
      }
    }
    List<Map<String, Object>> starts = starts("ctw-base-1");
    assertThat(starts).hasSize(1);
    assertThat(starts.get(0).get("name")).isEqualTo("select_pool-start");
    assertThat(starts.get(0).get("info"))
        .isEqualTo(
            Map.of(
                "function",
                Map.of("name", "dev.weft.it.ctw.PoolSelector.select"),
                "pool",
                "redis-1",
                "host",
                "it-host"));
  }

  @Test
  void applicationJdbcCallsAreSpans() throws Exception {
    try (AccountDao dao = new AccountDao("jdbc:h2:mem:ctw;DB_CLOSE_DELAY=-1");
        TraceScope t = Trace.begin("ctw-base-2", null, null)) {
      assertThat(dao.insert(1, "o'hara")).isEqualTo(1);
      assertThat(dao.countOwnedBy("o'hara")).isEqualTo(1);
    }
    List<Map<String, Object>> starts = starts("ctw-base-2");
    assertThat(starts)
        .extracting(m -> m.get("info"))
        .containsExactly(
            Map.of(
                "db",
                Map.of(
                    "system",
                    "h2",
                    "statement",
                    "insert into ctw_account (id, owner) values (?, ?)"),
                "host",
                "it-host"),
            Map.of(
                "db",
                Map.of(
                    "system",
                    "h2",
                    "statement",
                    "select count(*) from ctw_account where owner = ?"),
                "host",
                "it-host"));
    for (String e : WeftTesting.recordedEvents()) {
      assertThat(e).doesNotContain("hara");
    }
  }
}
