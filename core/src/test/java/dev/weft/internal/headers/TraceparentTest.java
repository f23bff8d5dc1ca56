package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTest {
  private static final String BASE = "4e3e0ec6-2938-40b1-8504-09eb1d4b0dee";

  @Test
  void formatsBaseIdAsTraceIdAndLowBitsAsSpanId() {
    assertThat(Traceparent.format(BASE, 0x8c00f6daa2bc32f1L))
        .isEqualTo("00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01");
    assertThat(Traceparent.format(BASE.toUpperCase(), 1L))
        .isEqualTo("00-4e3e0ec6293840b1850409eb1d4b0dee-0000000000000001-01");
  }

  @Test
  void nonUuidBaseId_hasNoTraceparent() {
    assertThat(Traceparent.format("1", 5L)).isNull();
    assertThat(Traceparent.format("4e3e0ec6x2938-40b1-8504-09eb1d4b0dee", 5L)).isNull();
    assertThat(Traceparent.format("4e3e0ec6-2938-40b1-8504-09eb1d4b0deg", 5L)).isNull();
    assertThat(Traceparent.format(null, 5L)).isNull();
  }

  @Test
  void parsesValidHeader() {
    assertThat(Traceparent.parse("00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01"))
        .isEqualTo(new Traceparent.Parsed(BASE, "8c00f6daa2bc32f1", true));
    assertThat(Traceparent.parse(" 00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-00 "))
        .isEqualTo(new Traceparent.Parsed(BASE, "8c00f6daa2bc32f1", false));
  }

  @Test
  void futureVersionMayCarryMoreFields() {
    assertThat(Traceparent.parse("01-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-03-extra"))
        .isEqualTo(new Traceparent.Parsed(BASE, "8c00f6daa2bc32f1", true));
  }

  @Test
  void roundTripsWhatItFormats() {
    String h = Traceparent.format(BASE, Outgoing.lowBits("1c089ea8-28fe-4f3d-8c00-f6daa2bc32f1"));
    assertThat(h).isEqualTo("00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01");
    assertThat(Traceparent.parse(h))
        .isEqualTo(new Traceparent.Parsed(BASE, "8c00f6daa2bc32f1", true));
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @NullSource
  @ValueSource(
      strings = {
        "",
        "garbage",
        "ff-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01", // version ff is invalid
        "00-00000000000000000000000000000000-8c00f6daa2bc32f1-01", // all-zero trace-id
        "00-4e3e0ec6293840b1850409eb1d4b0dee-0000000000000000-01", // all-zero span-id
        "00-4E3E0EC6293840B1850409EB1D4B0DEE-8c00f6daa2bc32f1-01", // upper-case hex
        "00-4e3e0ec6293840b1850409eb1d4b0de-8c00f6daa2bc32f1-01", // short trace-id
        "00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f-01", // short span-id
        "00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-1", // short flags
        "00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-0g", // non-hex flags
        "00-4e3e0ec6293840b1850409eb1d4b0dxe-8c00f6daa2bc32f1-01", // non-hex trace-id
        "00_4e3e0ec6293840b1850409eb1d4b0dee_8c00f6daa2bc32f1_01", // wrong separators
        "00-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01-extra", // v00 has no more
        "zz-4e3e0ec6293840b1850409eb1d4b0dee-8c00f6daa2bc32f1-01" // non-hex version
      })
  void rejectsMalformed(String header) {
    assertThat(Traceparent.parse(header)).isNull();
  }

  @Test
  void lowBitsOfUuidText() {
    assertThat(Outgoing.lowBits("1c089ea8-28fe-4f3d-8c00-f6daa2bc32f1"))
        .isEqualTo(0x8c00f6daa2bc32f1L);
  }
}
