package dev.weft.spi;

import java.util.Set;

/**
 * Thrown by {@link Collector#store} when some traces of a batch could not be stored and the others
 * were: only the named traces' events are lost, counted as dropped, and the collector is not backed
 * off (a failure that belongs to one trace — a rejected document, a file that cannot be written —
 * must not stop the others). Any other exception means the whole batch failed.
 */
public class PartialFailure extends java.io.IOException {
  private final Set<String> failedTraces;
  private final int failedEvents;

  /**
   * @param failedTraces the base_ids whose events were not stored
   * @param failedEvents how many events of the batch were not stored
   * @param cause the first failure
   */
  public PartialFailure(Set<String> failedTraces, int failedEvents, Throwable cause) {
    super(
        failedEvents + " events of " + failedTraces.size() + " traces not stored: " + cause, cause);
    this.failedTraces = Set.copyOf(failedTraces);
    this.failedEvents = failedEvents;
  }

  public Set<String> failedTraces() {
    return failedTraces;
  }

  public int failedEvents() {
    return failedEvents;
  }
}
