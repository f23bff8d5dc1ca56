package dev.weft.internal.collect;

import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import java.util.List;

/** {@code log://}: each event's JSON as one INFO line on the {@code dev.weft.events} logger. */
public final class LogCollector implements Collector {
  private static final System.Logger EVENTS = System.getLogger("dev.weft.events");

  @Override
  public void store(List<Event> batch) {
    for (Event e : batch) {
      EVENTS.log(System.Logger.Level.INFO, e.json());
    }
  }
}
