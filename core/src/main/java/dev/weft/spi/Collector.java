package dev.weft.spi;

import java.util.List;

/**
 * Stores events. Called on Weft's single collector thread only, with batches in the order the spans
 * finished (each span's start event directly followed by its stop event). An exception means the
 * batch was not stored: Weft counts its spans as dropped, logs a rate-limited warning and backs off
 * before the next batch.
 *
 * <p>The batch Weft's pipeline passes is an {@link EventBatch}, valid during the call only: a
 * collector that keeps events takes them from it ({@code get}, {@code addAll}), which copies them.
 */
public interface Collector extends AutoCloseable {
  void store(List<Event> batch) throws Exception;

  /** Releases connections. Called once, after the last {@link #store}. */
  @Override
  default void close() throws Exception {}
}
