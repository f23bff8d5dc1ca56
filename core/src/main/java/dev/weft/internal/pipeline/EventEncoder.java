package dev.weft.internal.pipeline;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.util.List;

/**
 * Turns a finished span into its two OSProfiler events ({@code <name>-start}, {@code <name>-stop}),
 * with the key order and spacing of OSProfiler's notifier. Runs on the collector thread: {@link
 * #write} encodes a span straight from its record (a ring slot, read in place) into a reusable
 * {@link JsonWriter}; {@link #encode} returns self-contained events whose JSON text is built when a
 * collector first asks for it. Both give the same bytes.
 */
public final class EventEncoder {
  private final String project;
  private final String service;
  private final String host;

  public EventEncoder(String project, String service, String host) {
    this.project = project;
    this.service = service;
    this.host = host;
  }

  /** Appends the span's start and stop events to {@code out}. Collector thread only. */
  public void encode(SpanRecord r, List<Event> out) {
    SpanRecord copy = new SpanRecord();
    copy.copyFrom(r);
    encodeOwned(copy, out);
  }

  /** As {@link #encode}, for a record the caller hands over and never touches again. */
  public void encodeOwned(SpanRecord r, List<Event> out) {
    out.add(event(r, true));
    out.add(event(r, false));
  }

  /** The start or stop event of a record the caller hands over and never touches again. */
  Event event(SpanRecord owned, boolean start) {
    return new SpanEvent(this, owned, owned.name + (start ? "-start" : "-stop"), start);
  }

  /** An event of a span, built on demand from a private copy of the span. */
  private static final class SpanEvent extends Event {
    private final EventEncoder enc;
    private final SpanRecord r;
    private final boolean start;

    SpanEvent(EventEncoder enc, SpanRecord r, String name, boolean start) {
      super(r.baseId, name, !start && r.etype != null);
      this.enc = enc;
      this.r = r;
      this.start = start;
    }

    @Override
    protected String buildJson() {
      JsonWriter w = new JsonWriter();
      enc.write(r, start, w);
      return w.toString();
    }

    @Override
    protected String buildTimestamp() {
      return Timestamps.format(Clock.epochMicros(start ? r.startTick : r.stopTick));
    }
  }

  /** The start or stop event's JSON text; for tests. */
  String json(SpanRecord r, boolean start) {
    JsonWriter w = new JsonWriter();
    write(r, start, w);
    return w.toString();
  }

  /**
   * Writes the start or stop event of {@code r} into {@code w} (after what it holds). Reads {@code
   * r} only, so {@code r} may be a ring slot that the consumer reads in place.
   */
  void write(SpanRecord r, boolean start, JsonWriter w) {
    w.beginObject();
    w.field("name", r.name, start ? "-start" : "-stop");
    w.cachedField("base_id", r.baseId);
    w.uuidField("trace_id", r.idHi, r.idLo);
    if (r.parentText != null) {
      w.cachedField("parent_id", r.parentText);
    } else {
      w.uuidField("parent_id", r.parentHi, r.parentLo);
    }
    w.timestampField("timestamp", Clock.epochMicros(start ? r.startTick : r.stopTick));
    w.beginObject("info");
    int mark = w.position();
    try {
      if (r.shape != null) {
        if (start) {
          r.shape.start(r, w);
        } else {
          r.shape.stop(r, w);
        }
      }
    } catch (RuntimeException e) {
      // A shape bug must not lose the event: the info is then written without its members.
      w.position(mark);
      w.beginObjectMembers();
    }
    if (start && r.annotations != null) {
      for (java.util.Map.Entry<String, String> a : r.annotations.entrySet()) {
        w.field(a.getKey(), a.getValue());
      }
    }
    if (!start && r.etype != null) {
      w.field("etype", r.etype);
      w.field("message", r.shape == null ? r.message : r.shape.message(r.message));
    }
    w.cachedField("host", host);
    w.endObject();
    w.cachedField("project", project);
    w.cachedField("service", r.service != null ? r.service : service);
    w.endObject();
  }
}
