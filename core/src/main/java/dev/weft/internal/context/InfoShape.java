package dev.weft.internal.context;

import dev.weft.internal.pipeline.JsonWriter;

/**
 * Turns a category's slots of a {@link SpanRecord} into the members of the start and stop events'
 * {@code info} objects. Called on the collector thread only. The shared {@code etype}/{@code
 * message} and {@code host} members are written by the encoder.
 */
public interface InfoShape {
  /** Writes the start info members, e.g. {@code "request": {...}}. */
  void start(SpanRecord r, JsonWriter w);

  /** Writes the stop info members other than etype/message, e.g. {@code "response": {...}}. */
  default void stop(SpanRecord r, JsonWriter w) {}

  /**
   * The error message as recorded: an integration whose messages may quote recorded values (SQL
   * literals, filter values) scrubs them here, on the collector thread.
   */
  default String message(String raw) {
    return raw;
  }

  /** The category this span belongs to (used by exporters for span kinds). */
  String category();
}
