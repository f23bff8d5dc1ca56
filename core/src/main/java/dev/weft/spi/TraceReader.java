package dev.weft.spi;

import java.util.List;

/** Reads back what a collector stored: the trace list and the raw events of one trace. */
public interface TraceReader extends AutoCloseable {
  /** One stored trace. {@code timestamp} is its earliest known event time, or null. */
  record TraceSummary(String baseId, String timestamp) {}

  /** Every stored trace, or only those that contain an error. */
  List<TraceSummary> list(boolean errorsOnly) throws Exception;

  /** The raw JSON text of every event of a trace, oldest first; empty when unknown. */
  List<String> events(String baseId) throws Exception;

  @Override
  default void close() throws Exception {}
}
