package dev.weft.spi;

/**
 * One OSProfiler event as a collector stores it: the event's JSON text plus the few fields that
 * storage layouts index by.
 *
 * @param baseId the trace's base_id
 * @param name the event name, {@code <span>-start} or {@code <span>-stop}
 * @param json the event as OSProfiler's notification payload, in Python's json.dumps spacing
 * @param timestamp the event's timestamp text, {@code %Y-%m-%dT%H:%M:%S.%f} naive UTC
 * @param error true for a stop event that carries {@code etype}
 */
public record Event(String baseId, String name, String json, String timestamp, boolean error) {}
