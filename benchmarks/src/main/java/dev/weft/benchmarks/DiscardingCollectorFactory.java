package dev.weft.benchmarks;

import dev.weft.spi.Collector;
import dev.weft.spi.CollectorFactory;
import dev.weft.spi.TraceReader;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code discard://} collector: counts the events it is given, and neither encodes nor keeps
 * them (as the OpenTelemetry rows' exporter drops its span data unserialized), so a benchmark
 * measures what a span costs the application thread (recording and hand-off) rather than a store's
 * encoding and I/O, which {@code CollectorThroughput} measures. Registered through {@code
 * META-INF/services/dev.weft.spi.CollectorFactory}.
 */
public final class DiscardingCollectorFactory implements CollectorFactory {
  /** Events handed to any discarding collector in this JVM. */
  static final LongAdder EVENTS = new LongAdder();

  @Override
  public boolean supports(String scheme) {
    return "discard".equals(scheme);
  }

  @Override
  public Collector collector(String connectionString, Map<String, String> settings) {
    return batch -> EVENTS.add(batch.size());
  }

  @Override
  public TraceReader reader(String connectionString) {
    throw new UnsupportedOperationException("discard:// keeps nothing to read back");
  }
}
