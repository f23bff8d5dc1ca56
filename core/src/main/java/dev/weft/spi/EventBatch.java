package dev.weft.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A batch of events as Weft's pipeline hands it to {@link Collector#store}: a {@code List<Event>},
 * so a collector written against the list keeps working, plus per-index accessors that read the
 * spans where they wait (the collection queue's slots) without building an {@link Event} each.
 *
 * <p>Event {@code 2k} is the start event of the batch's {@code k}-th span and {@code 2k+1} its stop
 * event. The batch and what its accessors read are valid during the {@code store} call only: a
 * collector that keeps events for later takes them with {@link #get(int)}, which returns a
 * self-contained {@code Event} that stays valid.
 *
 * <p>A collector that only writes the events' JSON, e.g. to a file or a socket, uses {@link
 * #writeJson(int, OutputStream)}: the bytes are the same as {@code get(i).json()} in UTF-8.
 */
public abstract class EventBatch extends AbstractList<Event> implements RandomAccess {
  protected EventBatch() {}

  /** The trace's base_id of event {@code i}. */
  public abstract String baseId(int i);

  /** True when event {@code i} is a stop event that carries {@code etype}. */
  public abstract boolean error(int i);

  /** The timestamp text of event {@code i}, as {@link Event#timestamp()}. */
  public abstract String timestamp(int i);

  /** Writes the JSON of event {@code i} (UTF-8, no line end) to {@code out}. */
  public abstract void writeJson(int i, OutputStream out) throws IOException;

  /**
   * {@code events} as a batch: itself when it is one (the pipeline's), else a view of the list
   * whose accessors read each {@link Event}. Lets a collector have one code path for both.
   */
  public static EventBatch of(java.util.List<Event> events) {
    return events instanceof EventBatch ? (EventBatch) events : new Listed(events);
  }

  /** A plain list of events seen as a batch. */
  private static final class Listed extends EventBatch {
    private final java.util.List<Event> events;

    Listed(java.util.List<Event> events) {
      this.events = events;
    }

    @Override
    public Event get(int i) {
      return events.get(i);
    }

    @Override
    public int size() {
      return events.size();
    }

    @Override
    public String baseId(int i) {
      return events.get(i).baseId();
    }

    @Override
    public boolean error(int i) {
      return events.get(i).error();
    }

    @Override
    public String timestamp(int i) {
      return events.get(i).timestamp();
    }

    @Override
    public void writeJson(int i, OutputStream out) throws IOException {
      out.write(events.get(i).json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** The JSON of event {@code i} as UTF-8 bytes. */
  public byte[] jsonBytes(int i) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(384);
    try {
      writeJson(i, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not thrown by a byte array stream
    }
    return out.toByteArray();
  }
}
