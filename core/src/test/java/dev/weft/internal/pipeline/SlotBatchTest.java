package dev.weft.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-place batch gives, byte for byte, the JSON that the events built before it gave: checked
 * against {@link Legacy}, a copy of the StringBuilder encoding that the byte writer replaced.
 */
class SlotBatchTest {
  private static final EventEncoder ENC = Spans.encoder();

  /** Every kind of value the encoder writes differently: escapes, non-ASCII, nulls, errors. */
  private static List<SpanRecord> spans() {
    SpanRecord plain = Spans.span("base-1", 1, 7);

    SpanRecord error = Spans.span("base-2", 2, 8);
    error.etype = "KeyError";
    error.message = "'nope' \"quoted\" \\ back\nline\ttab \u00e9t\u00e9 \ud83d\ude00 \u0001\u007f";

    SpanRecord nested = Spans.span("base-3", 3, 9);
    nested.parentText = null; // a parent on the same thread: the parent id is written from longs
    nested.parentHi = 0x0123456789abcdefL;
    nested.parentLo = 0x8edcba9876543210L;
    nested.service = "other-service";
    nested.name = "n\u00e4me \"x\"";
    Map<String, String> info = new LinkedHashMap<>();
    info.put("k\u0000ey", "v\u2028al");
    info.put("empty", "");
    nested.extra = info;
    nested.annotations = new LinkedHashMap<>(Map.of("note", "a \u00fcml\u00e4ut"));

    SpanRecord noShape = Spans.span("base-4", 4, 10);
    noShape.shape = null;
    noShape.name = null; // written as "null-start", as the string concatenation before did
    noShape.etype = "E";
    noShape.message = null;

    SpanRecord failing = Spans.span("base-5", 5, 11);
    failing.shape =
        new InfoShape() {
          @Override
          public void start(SpanRecord r, dev.weft.internal.pipeline.JsonWriter w) {
            throw new IllegalStateException("a shape bug");
          }

          @Override
          public String category() {
            return "x";
          }
        };
    return List.of(plain, error, nested, noShape, failing);
  }

  @Test
  void inPlaceJsonIsByteForByteTheEventsJson_andTheLegacyEncoding() throws Exception {
    List<SpanRecord> spans = spans();
    RingBuffer ring = new RingBuffer(16);
    for (SpanRecord r : spans) {
      assertThat(ring.offer(r)).isTrue();
    }
    assertThat(ring.peek(16)).isEqualTo(spans.size());
    SlotBatch batch = new SlotBatch(ring);
    batch.reset(spans.size(), ENC);
    assertThat(batch).hasSize(2 * spans.size());
    for (int i = 0; i < batch.size(); i++) {
      SpanRecord r = spans.get(i / 2);
      boolean start = i % 2 == 0;
      Event e = batch.get(i);
      byte[] bytes = batch.jsonBytes(i);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      batch.writeJson(i, out);
      assertThat(out.toByteArray()).isEqualTo(bytes);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(e.json());
      if (r.shape != spans.get(4).shape) {
        assertThat(bytes).isEqualTo(Legacy.json(r, start).getBytes(StandardCharsets.UTF_8));
      }
      assertThat(batch.baseId(i)).isEqualTo(e.baseId()).isEqualTo(r.baseId);
      assertThat(batch.error(i)).isEqualTo(e.error()).isEqualTo(!start && r.etype != null);
      assertThat(batch.timestamp(i))
          .isEqualTo(e.timestamp())
          .isEqualTo(Legacy.timestamp(Clock.epochMicros(start ? r.startTick : r.stopTick)));
      assertThat(e.name()).isEqualTo(r.name + (start ? "-start" : "-stop"));
    }
    // A shape that throws loses its members only, and the event stays valid JSON.
    assertThat(new String(batch.jsonBytes(8), StandardCharsets.US_ASCII))
        .contains("\"info\": {\"host\": \"host-1\"}");
  }

  @Test
  void eventsTakenWithGetOutliveTheBatch_andTheBatchRefusesReadsAfterClose() {
    RingBuffer ring = new RingBuffer(4);
    SpanRecord r = Spans.span("base-1", 1, 7);
    ring.offer(r);
    SlotBatch batch = new SlotBatch(ring);
    batch.reset(ring.peek(4), ENC);
    Event start = batch.get(0);
    Event stop = batch.get(1);
    String startJson = new String(batch.jsonBytes(0), StandardCharsets.UTF_8);
    String stopJson = new String(batch.jsonBytes(1), StandardCharsets.UTF_8);
    batch.close();
    ring.release(1);
    ring.offer(Spans.span("base-9", 9, 9)); // reuses the slots' ring
    ring.offer(Spans.span("base-9", 9, 10));
    ring.offer(Spans.span("base-9", 9, 11));
    ring.offer(Spans.span("base-9", 9, 12)); // and the very slot the events came from
    assertThat(start.json()).isEqualTo(startJson);
    assertThat(stop.json()).isEqualTo(stopJson);
    assertThat(batch).isEmpty();
    assertThatThrownBy(() -> batch.baseId(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aWriterThatKeepsStringsWritesWhatAFreshWriterWrites() {
    // The collector thread's writer keeps escaped strings by identity and the last second's text:
    // over spans that repeat, share content under other identities, collide in its slots, escape,
    // and cross seconds back and forth, every event equals a fresh writer's bytes.
    Random rnd = new Random(7);
    String[] names = {"op", "n\u00e4me \"x\"", "db", new String("op"), "x".repeat(200), null};
    String[] bases = new String[40];
    for (int i = 0; i < bases.length; i++) {
      bases[i] =
          i % 5 == 4 ? new String(bases[i - 1]) : "base-" + i + (i % 3 == 0 ? "\t\u2028" : "");
    }
    JsonWriter kept = new JsonWriter(16).cachingStrings();
    long tick = Clock.tick();
    for (int n = 0; n < 20_000; n++) {
      SpanRecord r = Spans.span(bases[rnd.nextInt(bases.length)], 1, n);
      r.name = names[rnd.nextInt(names.length)];
      r.parentText = rnd.nextBoolean() ? r.baseId : bases[rnd.nextInt(bases.length)];
      r.service = rnd.nextInt(4) == 0 ? "svc-" + rnd.nextInt(3) : null;
      tick += rnd.nextInt(3) == 0 ? -rnd.nextInt(2_000_000_000) : rnd.nextInt(400_000_000);
      r.startTick = tick;
      r.stopTick = tick + rnd.nextInt(1_500_000_000);
      for (boolean start : new boolean[] {true, false}) {
        kept.reset();
        ENC.write(r, start, kept);
        JsonWriter fresh = new JsonWriter();
        ENC.write(r, start, fresh);
        assertThat(kept.toBytes()).isEqualTo(fresh.toBytes());
        assertThat(kept.toString()).isEqualTo(Legacy.json(r, start));
      }
    }
  }

  @Test
  void theByteWriterEscapesAsTheStringBuilderOneDid() {
    Random rnd = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      int len = rnd.nextInt(40);
      for (int i = 0; i < len; i++) {
        int kind = rnd.nextInt(4);
        s.append(
            (char)
                (kind == 0
                    ? rnd.nextInt(0x80)
                    : kind == 1 ? rnd.nextInt(0x100) : kind == 2 ? rnd.nextInt(0x10000) : 'a'));
      }
      String v = s.toString();
      assertThat(JsonWriter.quote(v)).isEqualTo(Legacy.quote(v));
      assertThat(new String(JsonWriter.quoteBytes(v), StandardCharsets.US_ASCII))
          .isEqualTo(Legacy.quote(v));
    }
    assertThat(new JsonWriter().beginObject().field("n", 0L).field("m", -12345L).endObject())
        .hasToString("{\"n\": 0, \"m\": -12345}");
    assertThat(new JsonWriter().beginObject().field("t", true).field("f", false).endObject())
        .hasToString("{\"t\": true, \"f\": false}");
  }

  /** The encoding as it was written before the byte writer (StringBuilder, java.time). */
  static final class Legacy {
    static String json(SpanRecord r, boolean start) {
      StringBuilder sb = new StringBuilder();
      sb.append('{');
      sb.append("\"name\": ").append(quote(r.name + (start ? "-start" : "-stop")));
      sb.append(", \"base_id\": ").append(quote(r.baseId));
      sb.append(", \"trace_id\": \"").append(new java.util.UUID(r.idHi, r.idLo)).append('"');
      sb.append(", \"parent_id\": ");
      if (r.parentText != null) {
        sb.append(quote(r.parentText));
      } else {
        sb.append('"').append(new java.util.UUID(r.parentHi, r.parentLo)).append('"');
      }
      sb.append(", \"timestamp\": ")
          .append(quote(timestamp(Clock.epochMicros(start ? r.startTick : r.stopTick))));
      sb.append(", \"info\": {");
      boolean first = true;
      if (start && r.shape != null && r.extra instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) r.extra).entrySet()) {
          sb.append(first ? "" : ", ").append(quote(String.valueOf(e.getKey())));
          sb.append(": ").append(quote(String.valueOf(e.getValue())));
          first = false;
        }
      }
      if (start && r.annotations != null) {
        for (Map.Entry<String, String> e : r.annotations.entrySet()) {
          sb.append(first ? "" : ", ").append(quote(e.getKey())).append(": ");
          sb.append(quote(e.getValue()));
          first = false;
        }
      }
      if (!start && r.etype != null) {
        sb.append(first ? "" : ", ").append("\"etype\": ").append(quote(r.etype));
        sb.append(", \"message\": ").append(r.message == null ? "null" : quote(r.message));
        first = false;
      }
      sb.append(first ? "" : ", ").append("\"host\": \"host-1\"}");
      sb.append(", \"project\": \"proj\", \"service\": ")
          .append(quote(r.service != null ? r.service : "svc"));
      return sb.append('}').toString();
    }

    static String quote(String s) {
      StringBuilder sb = new StringBuilder();
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> {
            if (c < 0x20 || c > 0x7e) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      return sb.append('"').toString();
    }

    static String timestamp(long epochMicros) {
      long secs = Math.floorDiv(epochMicros, 1_000_000L);
      int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
      java.time.LocalDateTime t =
          java.time.LocalDateTime.ofEpochSecond(secs, 0, java.time.ZoneOffset.UTC);
      return String.format(
          "%s-%s-%sT%s:%s:%s.%s",
          pad(t.getYear(), 4),
          pad(t.getMonthValue(), 2),
          pad(t.getDayOfMonth(), 2),
          pad(t.getHour(), 2),
          pad(t.getMinute(), 2),
          pad(t.getSecond(), 2),
          pad(micros, 6));
    }

    private static String pad(int v, int width) {
      String s = Integer.toString(v);
      return "0".repeat(Math.max(0, width - s.length())) + s;
    }
  }
}
