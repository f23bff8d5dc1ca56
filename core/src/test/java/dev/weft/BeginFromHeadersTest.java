package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.headers.OsprofilerHeaders;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BeginFromHeadersTest {
  // From fixtures/osprofiler/headers.json, "osprofiler test_web.py values".
  private static final String INFO = "eyJiYXNlX2lkIjogIjEiLCAicGFyZW50X2lkIjogIjIifQ==";
  private static final String HMAC = "8fd628ea64e833b7894bb5e60bffbd0d391acf80";
  private static final String TRACEPARENT =
      "00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01";

  @BeforeAll
  static void setUp() {
    Recorded.configure();
    Weft.set("weft.hmac_keys", "other,secret");
    Weft.set("weft.max_traces_per_second", "0");
  }

  @AfterEach
  void notLeaked() {
    assertThat(Trace.active()).isFalse();
  }

  @AfterAll
  static void tearDown() {
    Recorded.reset();
  }

  @Test
  void signedHeaders_startTheCallersTrace_andOutgoingHeadersAreSignedWithTheMatchingKey() {
    try (TraceScope t = Trace.beginFromHeaders(INFO, HMAC, null)) {
      assertThat(t).isNotNull();
      assertThat(t.baseId()).isEqualTo("1");
      assertThat(Trace.currentSpanId()).isEqualTo("2");
      try (Span s = Trace.span("call")) {
        String info = OsprofilerHeaders.info("1", s.id());
        // base_id "1" is not a UUID, so no traceparent is sent.
        assertThat(TraceHeaders.outgoing())
            .containsExactlyInAnyOrderEntriesOf(
                Map.of(
                    TraceHeaders.X_TRACE_INFO,
                    info,
                    TraceHeaders.X_TRACE_HMAC,
                    OsprofilerHeaders.hmac(info, "secret")));
      }
    }
  }

  @Test
  void badHeaders_runUntraced_withoutThrowing() {
    assertThat(Trace.beginFromHeaders(INFO, HMAC.toUpperCase(), null)).isNull();
    assertThat(Trace.beginFromHeaders(INFO, null, null)).isNull();
    assertThat(Trace.beginFromHeaders(null, HMAC, null)).isNull();
    assertThat(Trace.beginFromHeaders("%%%", "zz", "nonsense")).isNull();
    assertThat(Trace.beginFromHeaders(INFO.substring(0, 46), HMAC, null)).isNull();
  }

  @Test
  void traceparentAlone_startsNothingUnlessTrusted() {
    assertThat(Trace.beginFromHeaders(null, null, TRACEPARENT)).isNull();
    Weft.set("weft.trust_traceparent", "true");
    try (TraceScope t = Trace.beginFromHeaders(null, null, TRACEPARENT)) {
      assertThat(t).isNotNull();
      assertThat(t.baseId()).isEqualTo("4e3e0ec6-2938-40b1-8504-09eb1d4b0dee");
      assertThat(Trace.currentSpanId()).isEqualTo("8c00f6daa2bc32f1");
      try (Span s = Trace.span("call")) {
        // No key authorised the trace: only traceparent goes out.
        assertThat(TraceHeaders.outgoing())
            .containsExactlyInAnyOrderEntriesOf(
                Map.of(
                    TraceHeaders.TRACEPARENT,
                    "00-4e3e0ec6293840b1850409eb1d4b0dee-"
                        + s.id().substring(19, 23)
                        + s.id().substring(24)
                        + "-01"));
      }
    } finally {
      Weft.set("weft.trust_traceparent", null);
    }
  }

  @Test
  void disabled_startsNothing() {
    Weft.set("weft.enabled", "false");
    try {
      assertThat(Trace.beginFromHeaders(INFO, HMAC, null)).isNull();
    } finally {
      Weft.set("weft.enabled", "true");
    }
  }

  @Test
  void noCapByDefault_everySignedRequestIsTraced_asOsprofilerDoes() {
    Weft.set("weft.max_traces_per_second", null);
    try {
      long limited = dev.weft.internal.WeftRuntime.tracesRateLimited();
      for (int i = 0; i < 200; i++) {
        Map<String, String> h = TraceHeaders.sign("default-cap-" + i, null, "secret");
        try (TraceScope t =
            Trace.beginFromHeaders(
                h.get(TraceHeaders.X_TRACE_INFO), h.get(TraceHeaders.X_TRACE_HMAC), null)) {
          assertThat(t).as("request %d", i).isNotNull();
        }
      }
      assertThat(dev.weft.internal.WeftRuntime.tracesRateLimited()).isEqualTo(limited);
    } finally {
      Weft.set("weft.max_traces_per_second", "0");
    }
  }

  @Test
  void withACap_aTraceAlreadyRunningHereIsNeverCutOff_newOnesAreRefusedAndCounted()
      throws InterruptedException {
    Weft.set("weft.max_traces_per_second", "1");
    try {
      Map<String, String> a = TraceHeaders.sign("capped-a", "p", "secret");
      String info = a.get(TraceHeaders.X_TRACE_INFO);
      String mac = a.get(TraceHeaders.X_TRACE_HMAC);
      // Traces begun by the tests before may still fill this second's cap: the first one gets in
      // once a new second begins.
      TraceScope first = Trace.beginFromHeaders(info, mac, null);
      for (int i = 0; first == null && i < 30; i++) {
        Thread.sleep(100);
        first = Trace.beginFromHeaders(info, mac, null);
      }
      assertThat(first).isNotNull();
      long limited = dev.weft.internal.WeftRuntime.tracesRateLimited();
      // New traces in the same second (at most one more second can begin while three are tried).
      int refused = 0;
      for (int i = 0; i < 3; i++) {
        Map<String, String> b = TraceHeaders.sign("capped-new-" + i, null, "secret");
        try (TraceScope t =
            Trace.beginFromHeaders(
                b.get(TraceHeaders.X_TRACE_INFO), b.get(TraceHeaders.X_TRACE_HMAC), null)) {
          refused += t == null ? 1 : 0;
        }
      }
      assertThat(refused).isGreaterThanOrEqualTo(2);
      assertThat(dev.weft.internal.WeftRuntime.tracesRateLimited() - limited).isEqualTo(refused);
      first.close();
      // Requests of trace "capped-a" (ended here a moment ago) are never refused.
      for (int i = 0; i < 20; i++) {
        try (TraceScope t = Trace.beginFromHeaders(info, mac, null)) {
          assertThat(t).as("request %d of the running trace", i).isNotNull();
          assertThat(t.baseId()).isEqualTo("capped-a");
        }
      }
      assertThat(dev.weft.internal.WeftRuntime.tracesRateLimited() - limited).isEqualTo(refused);
    } finally {
      Weft.set("weft.max_traces_per_second", "0");
    }
  }
}
