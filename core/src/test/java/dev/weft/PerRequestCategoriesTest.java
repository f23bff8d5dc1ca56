package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.headers.OsprofilerHeaders;
import dev.weft.internal.headers.TraceCategories;
import dev.weft.spi.TraceCategory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trace that asks for categories for itself: a signed {@code X-Weft-Trace-Categories} header or
 * {@code Profile.start(key, categories...)}. {@code Trace.span(name, "sql")} stands for a woven SQL
 * join point here: it passes the same two checks (the category flag, then the context).
 */
class PerRequestCategoriesTest {
  private static ExecutorService worker;

  @BeforeAll
  static void setUp() {
    Recorded.configure();
    Weft.set("weft.hmac_keys", "other,secret");
    Weft.set("weft.max_traces_per_second", "0");
    worker = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    worker.shutdown();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    Recorded.reset();
  }

  @BeforeEach
  void sqlAndRedisOffForTheProcess() {
    Weft.set("weft.trace.sql", "false");
    Weft.set("weft.trace.redis", "false");
    Weft.set("weft.trace.mongodb", "false");
  }

  @AfterEach
  void countersBackToZero_flagsBackToTheConfiguration() {
    assertThat(Trace.active()).isFalse();
    for (TraceCategory c : TraceCategory.values()) {
      assertThat(Switches.requested(c)).as(c.categoryName()).isZero();
    }
    assertThat(Switches.sql).isFalse();
    assertThat(Switches.redis).isFalse();
    assertThat(Switches.mongodb).isFalse();
  }

  /** The four headers of a request of trace {@code base}, categories signed under {@code key}. */
  private static String[] request(String base, String parent, String categories, String key) {
    Map<String, String> h = TraceHeaders.sign(base, parent, "secret");
    String info = h.get(TraceHeaders.X_TRACE_INFO);
    return new String[] {
      info,
      h.get(TraceHeaders.X_TRACE_HMAC),
      categories,
      key == null ? null : TraceCategories.sign(categories, info, key)
    };
  }

  private static TraceScope begin(String[] h) {
    return Trace.beginFromHeaders(h[0], h[1], null, h[2], h[3]);
  }

  private static boolean recordsSql() {
    try (Span s = Trace.span("probe", "sql")) {
      return s.isRecording();
    }
  }

  @Test
  void aSignedRequest_getsItsCategories_forItselfOnly_untilItsScopeEnds() throws Exception {
    assertThat(Switches.sql).isFalse();
    try (TraceScope deep = begin(request("deep-1", null, "sql,redis", "secret"))) {
      assertThat(deep).isNotNull();
      assertThat(Switches.sql).isTrue();
      assertThat(Switches.redis).isTrue();
      assertThat(Switches.mongodb).isFalse();
      assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(1);
      assertThat(ThreadContext.active(TraceCategory.SQL)).isNotNull();
      assertThat(ThreadContext.active(TraceCategory.REDIS)).isNotNull();
      assertThat(ThreadContext.active(TraceCategory.MONGODB)).isNull();
      assertThat(recordsSql()).isTrue();
      assertThat(Switches.global(TraceCategory.SQL.ordinal())).isFalse();

      // meanwhile, another request on another thread: traced, without the header
      assertThat(
              worker
                  .submit(
                      () -> {
                        try (TraceScope plain =
                            begin(request("plain-1", null, "sql,redis", null))) {
                          return ThreadContext.active(TraceCategory.SQL)
                              + " "
                              + recordsSql()
                              + " "
                              + Trace.active();
                        }
                      })
                  .get(10, TimeUnit.SECONDS))
          .isEqualTo("null false true");
      // and an untraced one
      assertThat(worker.submit(() -> ThreadContext.active(TraceCategory.SQL)).get()).isNull();
    }
    assertThat(Switches.sql).isFalse();
    assertThat(Switches.requested(TraceCategory.SQL)).isZero();
    try (TraceScope next = begin(request("next-1", null, "sql,redis", null))) {
      assertThat(next).isNotNull();
      assertThat(recordsSql()).isFalse();
    }
  }

  @Test
  void aDeepRequestsSpans_areRecorded_theOthersAreNot() {
    try (TraceScope deep = begin(request("deep-spans", null, "sql", "secret"))) {
      try (Span s = Trace.span("db", "sql")) {
        assertThat(s.isRecording()).isTrue();
      }
    }
    try (TraceScope plain = begin(request("plain-spans", null, "sql", null))) {
      try (Span s = Trace.span("db", "sql")) {
        assertThat(s.isRecording()).isFalse();
      }
    }
    assertThat(Recorded.events("deep-spans"))
        .extracting(e -> e.get("name"))
        .containsExactly("db-start", "db-stop");
    assertThat(Recorded.events("plain-spans")).isEmpty();
  }

  @Test
  void forgedWrongKeyUnsignedUnknownOrReplayed_changesNothing_andStillTraces() {
    String other = OsprofilerHeaders.info("replayed", null);
    String[][] cases = {
      request("bad-1", null, "sql", "other"), // signed with a configured key, not the trace's
      request("bad-2", null, "sql", "not-a-key"),
      request("bad-3", null, "sql", null), // unsigned
      request("bad-4", null, "sql,nosuch", "secret"), // unknown category
      request("bad-5", null, "servlet", "secret"),
      {
        request("bad-6", null, "sql", null)[0],
        request("bad-6", null, "sql", null)[1],
        "sql",
        TraceCategories.sign("sql", other, "secret") // signed for another X-Trace-Info
      },
      {
        request("bad-7", null, "sql", null)[0],
        request("bad-7", null, "sql", null)[1],
        "sql",
        TraceCategories.sign("sql", request("bad-7", null, "sql", null)[0], "secret").toUpperCase()
      },
    };
    for (String[] h : cases) {
      try (TraceScope t = begin(h)) {
        assertThat(t).as(String.join(" ", h)).isNotNull();
        assertThat(Switches.sql).as(String.join(" ", h)).isFalse();
        assertThat(ThreadContext.forThread().categories).isZero();
        assertThat(recordsSql()).isFalse();
      }
    }
    // a valid category pair without a valid X-Trace pair: untraced, nothing held
    String[] h = request("bad-8", null, "sql", "secret");
    assertThat(Trace.beginFromHeaders(h[0], "0".repeat(40), null, h[2], h[3])).isNull();
    assertThat(Trace.beginFromHeaders(null, null, null, h[2], h[3])).isNull();
  }

  @Test
  void aCategoryOnForTheProcess_staysOn_whateverARequestAsksFor() {
    Weft.set("weft.trace.sql", "true");
    try {
      try (TraceScope t = begin(request("adds-redis", null, "redis", "secret"))) {
        assertThat(ThreadContext.active(TraceCategory.SQL)).isNotNull();
        assertThat(ThreadContext.active(TraceCategory.REDIS)).isNotNull();
      }
      try (TraceScope t = begin(request("asks-nothing", null, "redis", null))) {
        assertThat(ThreadContext.active(TraceCategory.SQL)).isNotNull();
        assertThat(ThreadContext.active(TraceCategory.REDIS)).isNull();
      }
      assertThat(Switches.sql).isTrue();
    } finally {
      Weft.set("weft.trace.sql", "false");
    }
  }

  @Test
  void outgoingHeaders_carryTheCategories_signedForTheNewTraceInfo() {
    try (TraceScope t = begin(request("out-1", null, " sql , redis", "secret"))) {
      try (Span s = Trace.span("call")) {
        Map<String, String> out = TraceHeaders.outgoing();
        String info = OsprofilerHeaders.info("out-1", s.id());
        assertThat(out)
            .containsExactly(
                Map.entry(TraceHeaders.X_TRACE_INFO, info),
                Map.entry(TraceHeaders.X_TRACE_HMAC, OsprofilerHeaders.hmac(info, "secret")),
                Map.entry(TraceHeaders.X_WEFT_TRACE_CATEGORIES, "redis,sql"),
                Map.entry(
                    TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC,
                    TraceCategories.sign("redis,sql", info, "secret")));
        // and the next service reads them back
        assertThat(
                TraceCategories.verify(
                    out.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES),
                    out.get(TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC),
                    info,
                    "secret"))
            .isEqualTo(TraceCategories.of("sql", "redis"));
        // only where trace headers may go
        assertThat(TraceHeaders.outgoing(java.net.URI.create("https://api.example.com/x")))
            .isEmpty();
        assertThat(TraceHeaders.outgoing(java.net.URI.create("http://10.0.0.7/x")))
            .containsKeys(
                TraceHeaders.X_WEFT_TRACE_CATEGORIES, TraceHeaders.X_WEFT_TRACE_CATEGORIES_HMAC);
      }
    }
    try (TraceScope t = begin(request("out-2", null, "sql", null))) {
      assertThat(TraceHeaders.outgoing())
          .containsOnlyKeys(TraceHeaders.X_TRACE_INFO, TraceHeaders.X_TRACE_HMAC);
    }
  }

  @Test
  void theMaskSurvivesAnAsyncHandOff_andEachThreadHoldsItWhileItRuns() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Future<String> seen;
    try (TraceScope t = begin(request("async-1", null, "sql", "secret"))) {
      TraceSnapshot snap = Trace.capture();
      seen =
          worker.submit(
              () -> {
                try (TraceScope s = snap.restore()) {
                  running.countDown();
                  finish.await(10, TimeUnit.SECONDS);
                  return recordsSql() + " " + TraceHeaders.outgoing().keySet();
                }
              });
      running.await(10, TimeUnit.SECONDS);
      assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(2);
    }
    // the request's scope ended; the task still runs in the trace, with its categories
    assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(1);
    assertThat(Switches.sql).isTrue();
    finish.countDown();
    assertThat(seen.get(10, TimeUnit.SECONDS))
        .isEqualTo(
            "true [X-Trace-Info, X-Trace-HMAC, X-Weft-Trace-Categories,"
                + " X-Weft-Trace-Categories-HMAC]");
    // the task's scope closed before its result was handed back
    assertThat(Switches.requested(TraceCategory.SQL)).isZero();
  }

  @Test
  void endingTheContext_orBeginningAnotherTrace_givesTheHoldBack() {
    TraceScope leaked = begin(request("ended-1", null, "sql", "secret"));
    assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(1);
    ThreadContext.forThread().end(); // as the servlet entry ends a request
    assertThat(Switches.requested(TraceCategory.SQL)).isZero();
    assertThat(Switches.sql).isFalse();
    leaked.close(); // closing later gives nothing back twice
    assertThat(Switches.requested(TraceCategory.SQL)).isZero();

    // a nested scope of the same trace on the same thread holds its own, and gives it back
    try (TraceScope outer = begin(request("nested-1", null, "sql", "secret"))) {
      TraceSnapshot snap = Trace.capture();
      try (TraceScope inner = snap.restore()) {
        assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(2);
      }
      assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(1);
      assertThat(recordsSql()).isTrue();
      try (TraceScope other = Trace.begin("other-1", null, "secret")) {
        assertThat(recordsSql()).isFalse(); // another trace on this thread asked for nothing
      }
      assertThat(recordsSql()).isTrue();
    }
  }

  @Test
  void aRateLimitedRequest_holdsNothing() {
    Weft.set("weft.max_traces_per_second", "1");
    try {
      int refused = 0;
      for (int i = 0; i < 50; i++) {
        TraceScope t = begin(request("limited-" + i, null, "sql", "secret"));
        if (t == null) {
          refused++;
          assertThat(Switches.requested(TraceCategory.SQL)).isZero();
          assertThat(Switches.sql).isFalse();
        } else {
          t.close();
        }
      }
      assertThat(refused).isPositive();
    } finally {
      Weft.set("weft.max_traces_per_second", "0");
    }
  }

  @Test
  void switchingTracingOff_switchesTheRequestedCategoriesOffToo() {
    try (TraceScope t = begin(request("off-1", null, "sql", "secret"))) {
      assertThat(Switches.sql).isTrue();
      Weft.set("weft.enabled", "false");
      assertThat(Switches.sql).isFalse();
      assertThat(recordsSql()).isFalse();
      Weft.set("weft.enabled", "true");
      assertThat(Switches.sql).isTrue();
      assertThat(recordsSql()).isTrue();
    }
  }

  @Test
  void concurrentDeepAndPlainRequests_balanceTheCounters() throws Exception {
    int threads = 8;
    int rounds = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier go = new CyclicBarrier(threads);
    List<Future<Integer>> wrong = new ArrayList<>();
    for (int n = 0; n < threads; n++) {
      int id = n;
      wrong.add(
          pool.submit(
              () -> {
                go.await();
                int bad = 0;
                for (int i = 0; i < rounds; i++) {
                  boolean deep = (i + id) % 2 == 0;
                  String base = "c-" + id + "-" + i;
                  try (TraceScope t = begin(request(base, null, "sql", deep ? "secret" : null))) {
                    // a deep request always sees its flag on, a plain one never records
                    if (recordsSql() != deep || (deep && !Switches.sql)) {
                      bad++;
                    }
                  }
                }
                return bad;
              }));
    }
    for (Future<Integer> f : wrong) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isZero();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void profileAndBeginClient_askForCategories_andNameTheBadOnes() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
    try (Profile p = Profile.start("secret", ps, "sql", "mongodb")) {
      assertThat(p.active()).isTrue();
      assertThat(Switches.requested(TraceCategory.SQL)).isEqualTo(1);
      assertThat(Switches.requested(TraceCategory.MONGODB)).isEqualTo(1);
      assertThat(recordsSql()).isTrue();
      assertThat(TraceHeaders.outgoing())
          .containsEntry(TraceHeaders.X_WEFT_TRACE_CATEGORIES, "mongodb,sql");
    }
    try (Profile p = Profile.start("secret", ps)) {
      assertThat(recordsSql()).isFalse();
      assertThat(TraceHeaders.outgoing()).doesNotContainKey(TraceHeaders.X_WEFT_TRACE_CATEGORIES);
    }
    try (TraceScope t = Trace.beginClient("secret", "redis")) {
      assertThat(ThreadContext.active(TraceCategory.REDIS)).isNotNull();
    }
    assertThatThrownBy(() -> Profile.start("secret", ps, "sql", "db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown trace category 'db'");
    assertThatThrownBy(() -> Trace.beginClient("secret", "servlet"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Trace.active()).isFalse();
  }
}
