package dev.weft.internal.pipeline;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a finished span into its two OSProfiler events ({@code <name>-start}, {@code <name>-stop}),
 * with the key order and spacing of OSProfiler's notifier. Runs on the collector thread: it copies
 * the span out of the ring slot and returns events whose JSON text is built when a collector first
 * asks for it.
 */
public final class EventEncoder {
  private final String project;
  private final String service;
  private final String host;
  private final Map<String, String[]> names = new HashMap<>();

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
    SpanRecord copy = r;
    String[] n = names.get(r.name);
    if (n == null) {
      if (names.size() > 4096) {
        names.clear();
      }
      n = new String[] {r.name + "-start", r.name + "-stop"};
      names.put(r.name, n);
    }
    out.add(new SpanEvent(this, copy, n[0], true));
    out.add(new SpanEvent(this, copy, n[1], false));
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
      return enc.json(r, name(), timestamp(), start);
    }

    @Override
    protected String buildTimestamp() {
      return Timestamps.format(Clock.epochMicros(start ? r.startTick : r.stopTick));
    }
  }

  String json(SpanRecord r, String name, String ts, boolean start) {
    StringBuilder sb = new StringBuilder(384);
    JsonWriter w = new JsonWriter(sb);
    w.beginObject();
    w.field("name", name);
    w.field("base_id", r.baseId);
    w.name("trace_id");
    Ids.appendQuoted(sb, r.idHi, r.idLo);
    if (r.parentText != null) {
      w.field("parent_id", r.parentText);
    } else {
      w.name("parent_id");
      Ids.appendQuoted(sb, r.parentHi, r.parentLo);
    }
    w.field("timestamp", ts);
    w.beginObject("info");
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
    w.field("host", host);
    w.endObject();
    w.field("project", project);
    w.field("service", r.service != null ? r.service : service);
    w.endObject();
    return sb.toString();
  }

  /** UUID text written straight into a builder. */
  static final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {}

    static void appendQuoted(StringBuilder sb, long hi, long lo) {
      sb.append('"');
      hex(sb, hi >>> 32, 8);
      sb.append('-');
      hex(sb, (hi >>> 16) & 0xFFFF, 4);
      sb.append('-');
      hex(sb, hi & 0xFFFF, 4);
      sb.append('-');
      hex(sb, lo >>> 48, 4);
      sb.append('-');
      hex(sb, lo & 0xFFFFFFFFFFFFL, 12);
      sb.append('"');
    }

    private static void hex(StringBuilder sb, long v, int digits) {
      for (int i = digits - 1; i >= 0; i--) {
        sb.append(HEX[(int) (v >>> (i * 4)) & 0xF]);
      }
    }
  }
}
