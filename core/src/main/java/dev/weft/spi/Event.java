package dev.weft.spi;

import java.util.Objects;

/**
 * One OSProfiler event as a collector stores it: the event's JSON text plus the few fields that
 * storage layouts index by.
 *
 * <p>Design note: Weft's pipeline hands a collector an {@link EventBatch}; the events its {@code
 * get} returns build their JSON text on the first call of {@link #json()}, so a collector that does
 * not need the text (an exporter that maps spans itself, a discarding one) never pays for it, and
 * one that only writes the text can take its bytes from the batch without any event. The text is
 * the same whenever and however it is built.
 */
public class Event {
  private final String baseId;
  private final String name;
  private final boolean error;
  private volatile String json;
  private volatile String timestamp;

  /**
   * Parses an event timestamp ({@code %Y-%m-%dT%H:%M:%S.%f}, naive UTC, 0 to 6 fraction digits) to
   * epoch microseconds.
   *
   * @throws java.time.format.DateTimeParseException when it is not one
   */
  public static long parseTimestamp(String timestamp) {
    return dev.weft.internal.pipeline.Timestamps.parse(timestamp);
  }

  /**
   * OSProfiler's error-index value for a trace, {@code {"base_id": ..., "timestamp": ...}} in
   * Python's json.dumps spacing, as its storage drivers write under {@code osprofiler_error:}.
   */
  public static String errorIndexJson(String baseId, String timestamp) {
    return new dev.weft.internal.pipeline.JsonWriter(96)
        .beginObject()
        .field("base_id", baseId)
        .field("timestamp", timestamp)
        .endObject()
        .toString();
  }

  /**
   * An event whose text is known.
   *
   * @param baseId the trace's base_id
   * @param name the event name, {@code <span>-start} or {@code <span>-stop}
   * @param json the event as OSProfiler's notification payload, in Python's json.dumps spacing
   * @param timestamp the event's timestamp text, {@code %Y-%m-%dT%H:%M:%S.%f} naive UTC
   * @param error true for a stop event that carries {@code etype}
   */
  public Event(String baseId, String name, String json, String timestamp, boolean error) {
    this.baseId = baseId;
    this.name = name;
    this.json = Objects.requireNonNull(json, "json");
    this.timestamp = timestamp;
    this.error = error;
  }

  /**
   * For events whose text is built on demand by {@link #buildJson()} / {@link #buildTimestamp()}.
   */
  protected Event(String baseId, String name, boolean error) {
    this.baseId = baseId;
    this.name = name;
    this.error = error;
  }

  /** Builds the JSON text of a lazily built event; called at most a few times. */
  protected String buildJson() {
    throw new IllegalStateException("no JSON text");
  }

  /** Builds the timestamp text of a lazily built event. */
  protected String buildTimestamp() {
    throw new IllegalStateException("no timestamp");
  }

  public final String baseId() {
    return baseId;
  }

  public final String name() {
    return name;
  }

  /** The event's JSON text, OSProfiler's notification payload. */
  public final String json() {
    String j = json;
    if (j == null) {
      j = buildJson();
      json = j;
    }
    return j;
  }

  /** The event's timestamp text, {@code %Y-%m-%dT%H:%M:%S.%f} naive UTC. */
  public final String timestamp() {
    String t = timestamp;
    if (t == null) {
      t = buildTimestamp();
      timestamp = t;
    }
    return t;
  }

  /** True for a stop event that carries {@code etype}. */
  public final boolean error() {
    return error;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event
        && ((Event) o).baseId.equals(baseId)
        && ((Event) o).name.equals(name)
        && ((Event) o).error == error
        && ((Event) o).json().equals(json());
  }

  @Override
  public int hashCode() {
    return json().hashCode();
  }

  @Override
  public String toString() {
    return json();
  }
}
