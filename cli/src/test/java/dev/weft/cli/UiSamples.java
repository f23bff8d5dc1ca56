package dev.weft.cli;

import dev.weft.cli.internal.Ui;
import dev.weft.internal.collect.FileCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The store the {@code weft ui} tests browse: six traces, newest first
 *
 * <pre>
 * c0ffee00-…-000000000002  +5 min  queues, MongoDB find 10 ms slower (28 ms)  queues-api, storage
 * t4                       +4 min  1 ms, an error                              api
 * t3                       +3 min  3 ms                                        api, storage
 * t2                       +2 min  5 ms                                        api
 * t1                       +1 min  2 ms                                        api
 * c0ffee00-…-000000000001  +0      queues (20 ms)                              queues-api, storage
 * </pre>
 */
final class UiSamples {
  static final String SLOWER_ID = "c0ffee00-0000-4000-8000-000000000002";

  private UiSamples() {}

  static void write(Path dir) {
    Bottlenecks.queues().writeTo(dir);
    Bottlenecks.queues(SLOWER_ID, Bottlenecks.T0.plusMinutes(5), 28_000).writeTo(dir);
    StatsTest.trace(1, 2000, 1000).writeTo(dir);
    StatsTest.trace(2, 5000, 4000).writeTo(dir);
    StatsTest.trace(3, 3000, 1500).writeTo(dir);
    StatsTest.trace(4, 1000, 500).writeTo(dir);
  }

  static Ui start(Path dir, int scanCap) throws IOException {
    return Ui.start(
        new FileCollector(dir), "file://" + dir, InetAddress.getByName("127.0.0.1"), 0, scanCap);
  }
}
