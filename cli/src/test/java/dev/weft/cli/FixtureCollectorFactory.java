package dev.weft.cli;

import dev.weft.spi.Collector;
import dev.weft.spi.CollectorFactory;
import dev.weft.spi.TraceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * A collector plug-in found through {@link java.util.ServiceLoader}, as weft-collectors' are: the
 * {@code fixture://} scheme reads OSProfiler's zaqar-request events, as a remote store would hand
 * them back (in stored order), and refuses a password other than {@code ok}.
 */
public final class FixtureCollectorFactory implements CollectorFactory {
  @Override
  public boolean supports(String scheme) {
    return scheme.equals("fixture");
  }

  @Override
  public Collector collector(String connectionString, Map<String, String> settings) {
    throw new UnsupportedOperationException("read-only");
  }

  @Override
  public TraceReader reader(String connectionString) throws Exception {
    if (connectionString.contains("@") && !connectionString.contains("://:ok@")) {
      throw new java.io.IOException("authentication failed for " + connectionString);
    }
    List<String> events =
        Files.readAllLines(
            SampleTraces.FIXTURES.resolve("zaqar-request.events.jsonl"), StandardCharsets.UTF_8);
    return new TraceReader() {
      @Override
      public List<TraceSummary> list(boolean errorsOnly) {
        return List.of(new TraceSummary(SampleTraces.ZAQAR_ID, "2024-01-02T03:04:05.123456"));
      }

      @Override
      public List<String> events(String baseId) {
        return baseId.equals(SampleTraces.ZAQAR_ID) ? events : List.of();
      }
    };
  }
}
