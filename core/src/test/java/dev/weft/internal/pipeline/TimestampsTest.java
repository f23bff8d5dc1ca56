package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The digit-by-digit timestamp formatting against the {@code java.time} one it replaced. */
class TimestampsTest {
  private static final long DAY = 86_400_000_000L;
  private static final long MIN = -62_167_219_200_000_000L; // 0000-01-01T00:00:00
  private static final long MAX = 253_402_300_800_000_000L; // 10000-01-01T00:00:00

  private static void same(long micros) {
    assertThat(Timestamps.format(micros))
        .as("%d µs", micros)
        .isEqualTo(SlotBatchTest.Legacy.timestamp(micros))
        .isEqualTo(Timestamps.formatSlow(micros));
  }

  @Test
  void edgeCases() {
    List<Long> edges = new ArrayList<>();
    long[] points = {
      0,
      MIN,
      MAX,
      951_782_400_000_000L /* 2000-02-29 */,
      -2_203_891_200_000_000L /* 1900-03-01 */,
      4_107_542_400_000_000L /* 2100-03-01 */,
      1_704_164_645_123_456L,
      946_684_800_000_000L
    };
    for (long p : points) {
      for (long d : new long[] {-DAY, -1_000_000, -1, 0, 1, 999_999, 1_000_000, DAY}) {
        edges.add(p + d);
      }
    }
    edges.add(Long.MIN_VALUE);
    edges.add(Long.MAX_VALUE);
    edges.add(MIN - 1);
    edges.add(MAX - 1);
    for (long e : edges) {
      same(e);
    }
    assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00.000000");
    assertThat(Timestamps.format(MAX - 1)).isEqualTo("9999-12-31T23:59:59.999999");
    assertThat(Timestamps.format(MIN)).isEqualTo("0000-01-01T00:00:00.000000");
    assertThat(Timestamps.format(951_782_400_000_000L)).isEqualTo("2000-02-29T00:00:00.000000");
  }

  @Test
  void everyDayOfFourCenturies_andRandomInstantsOverTheWholeRange() {
    // 1900-01-01 to 2300-01-01, one instant a day at a varying time of day: 146,097 values
    long from = -2_208_988_800_000_000L;
    SplittableRandom rnd = new SplittableRandom(7);
    for (int d = 0; d < 146_097; d++) {
      same(from + d * DAY + rnd.nextLong(DAY));
    }
    for (int i = 0; i < 100_000; i++) {
      same(rnd.nextLong(MIN - 10 * DAY, MAX + 10 * DAY));
    }
    // around now, where real clocks are
    long now = System.currentTimeMillis() * 1000;
    for (int i = 0; i < 20_000; i++) {
      same(now + rnd.nextLong(-DAY * 400, DAY * 400));
    }
  }
}
