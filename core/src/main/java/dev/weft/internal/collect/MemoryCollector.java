package dev.weft.internal.collect;

import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code memory://}: events kept in this process, for tests and embedding. All {@code memory://}
 * connection strings share one store.
 */
public final class MemoryCollector implements Collector, TraceReader {
  private static final List<Event> EVENTS = new ArrayList<>();

  @Override
  public void store(List<Event> batch) {
    synchronized (EVENTS) {
      EVENTS.addAll(batch);
    }
  }

  /** A copy of every event stored so far, in arrival order. */
  public static List<Event> events() {
    synchronized (EVENTS) {
      return new ArrayList<>(EVENTS);
    }
  }

  public static void clear() {
    synchronized (EVENTS) {
      EVENTS.clear();
    }
  }

  @Override
  public List<TraceSummary> list(boolean errorsOnly) {
    Map<String, TraceSummary> out = new LinkedHashMap<>();
    for (Event e : events()) {
      if (!out.containsKey(e.baseId())) {
        out.put(e.baseId(), new TraceSummary(e.baseId(), e.timestamp()));
      }
    }
    if (errorsOnly) {
      List<String> withErrors = new ArrayList<>();
      for (Event e : events()) {
        if (e.error()) {
          withErrors.add(e.baseId());
        }
      }
      out.keySet().retainAll(withErrors);
    }
    return new ArrayList<>(out.values());
  }

  @Override
  public List<String> events(String baseId) {
    List<String> out = new ArrayList<>();
    for (Event e : events()) {
      if (e.baseId().equals(baseId)) {
        out.add(e.json());
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
