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
}
