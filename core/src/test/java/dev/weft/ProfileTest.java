package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileTest {
  @AfterEach
  void reset() {
    Weft.resetRuntimeChanges();
  }

  private static String run(String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Profile p = Profile.start(key, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(p.active()).isFalse();
      assertThat(p.baseId()).isNull();
      assertThat(Trace.active()).isFalse();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void disabled_saysSoAndPrintsNoTraceId() {
    Weft.set("weft.enabled", "false");
    assertThat(run("SECRET_KEY"))
        .isEqualTo(
            "weft: profiling is off: tracing is disabled in this process; set weft.enabled=true"
                + " (-Dweft.enabled=true or WEFT_ENABLED=true) to profile"
                + System.lineSeparator());
  }

  @Test
  void noKey_saysSoAndPrintsNoTraceId() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    String expected =
        "weft: profiling is off: no HMAC key; pass the key the services accept (one of their"
            + " weft.hmac_keys), or set weft.hmac_keys here"
            + System.lineSeparator();
    assertThat(run(null)).isEqualTo(expected);
    assertThat(run(" ")).isEqualTo(expected);
  }

  @Test
  void enabledWithAKey_printsTheTraceIdOnClose() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String baseId;
    try (Profile p = Profile.start("k", new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(p.active()).isTrue();
      baseId = p.baseId();
      assertThat(Trace.baseId()).isEqualTo(baseId);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Profile.message(baseId));
  }
}
