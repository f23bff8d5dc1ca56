package dev.weft.internal.pipeline;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.ManualShape;
import dev.weft.internal.context.SpanRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** Finished span records for pipeline tests, identified by (producer, sequence) in their id. */
final class Spans {
  static final ManualShape SHAPE = new ManualShape("annotated");

  private Spans() {}

  static SpanRecord span(String baseId, long producer, long seq) {
    SpanRecord r = new SpanRecord();
    r.name = "op";
    r.shape = SHAPE;
    r.baseId = baseId;
    r.parentText = baseId;
    r.idHi = 0x0000000000004000L | (producer << 16);
    r.idLo = 0x8000000000000000L | seq;
    r.startTick = Clock.tick();
    r.stopTick = r.startTick + 1_000;
    Map<String, String> info = new LinkedHashMap<>();
    info.put("seq", Long.toString(seq));
    r.extra = info;
    return r;
  }

  static EventEncoder encoder() {
    return new EventEncoder("proj", "svc", "host-1");
  }
}
