package dev.weft.internal.pipeline;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.util.List;

/**
 * Builds a finished span's two OSProfiler events ({@code <name>-start}, {@code <name>-stop}) on the
 * collector thread, with the key order and spacing of OSProfiler's notifier.
 */
public final class EventEncoder {
  private final StringBuilder sb = new StringBuilder(512);
  private final String project;
  private final String service;
  private final String host;

  public EventEncoder(String project, String service, String host) {
    this.project = project;
    this.service = service;
    this.host = host;
  }

  /** Appends the span's start and stop events to {@code out}. */
  public void encode(SpanRecord r, List<Event> out) {
    String traceId = r.idText();
    String parentId = r.parentIdText();
    String startTs = Timestamps.format(Clock.epochMicros(r.startTick));
    String stopTs = Timestamps.format(Clock.epochMicros(r.stopTick));
    String start = r.name + "-start";
    String stop = r.name + "-stop";
    out.add(
        new Event(
            r.baseId, start, event(r, start, traceId, parentId, startTs, true), startTs, false));
    out.add(
        new Event(
            r.baseId,
            stop,
            event(r, stop, traceId, parentId, stopTs, false),
            stopTs,
            r.etype != null));
  }

  private String event(
      SpanRecord r, String name, String traceId, String parentId, String ts, boolean start) {
    sb.setLength(0);
    JsonWriter w = new JsonWriter(sb);
    w.beginObject();
    w.field("name", name);
    w.field("base_id", r.baseId);
    w.field("trace_id", traceId);
    w.field("parent_id", parentId);
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
      w.field("message", r.message);
    }
    w.field("host", host);
    w.endObject();
    w.field("project", project);
    w.field("service", service);
    w.endObject();
    return sb.toString();
  }
}
