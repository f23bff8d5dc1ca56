package dev.weft.internal.pipeline;

import dev.weft.internal.context.Clock;
import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Event;
import dev.weft.spi.EventBatch;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The ring slots that the collector thread has peeked, seen as a batch of events. Nothing is copied
 * out of the slots unless a collector asks for an {@link Event} with {@link #get(int)}; {@link
 * #writeJson} encodes straight from the slot into a writer the batch reuses. One instance, reused
 * for every batch, on the collector thread only.
 */
final class SlotBatch extends EventBatch {
  private final RingBuffer ring;
  private final JsonWriter writer = new JsonWriter(1024).cachingStrings();
  private EventEncoder encoder;
  private int spans;

  /** The span last copied out for {@link #get}, so its start and stop events share one copy. */
  private int copiedSpan = -1;

  private SpanRecord copied;

  SlotBatch(RingBuffer ring) {
    this.ring = ring;
  }

  /** Makes this the batch of the first {@code spans} ready slots. */
  void reset(int spans, EventEncoder encoder) {
    this.spans = spans;
    this.encoder = encoder;
    this.copiedSpan = -1;
    this.copied = null;
    modCount++;
  }

  /** Ends the batch before its slots are released: later reads fail rather than see new spans. */
  void close() {
    spans = 0;
    copiedSpan = -1;
    copied = null;
    modCount++;
  }

  private SpanRecord span(int i) {
    if (i < 0 || i >= 2 * spans) {
      throw new IndexOutOfBoundsException("event " + i + " of " + 2 * spans);
    }
    return ring.slot(i >> 1);
  }

  @Override
  public int size() {
    return 2 * spans;
  }

  @Override
  public Event get(int i) {
    SpanRecord r = span(i);
    int k = i >> 1;
    if (copiedSpan != k) {
      SpanRecord c = new SpanRecord();
      c.copyFrom(r);
      copied = c;
      copiedSpan = k;
    }
    return encoder.event(copied, (i & 1) == 0);
  }

  @Override
  public String baseId(int i) {
    return span(i).baseId;
  }

  @Override
  public boolean error(int i) {
    return (i & 1) == 1 && span(i).etype != null;
  }

  @Override
  public String timestamp(int i) {
    SpanRecord r = span(i);
    return Timestamps.format(Clock.epochMicros((i & 1) == 0 ? r.startTick : r.stopTick));
  }

  /** Encodes event {@code i} into the batch's writer and returns it (valid until the next call). */
  JsonWriter encode(int i) {
    SpanRecord r = span(i);
    writer.reset();
    encoder.write(r, (i & 1) == 0, writer);
    return writer;
  }

  @Override
  public void writeJson(int i, OutputStream out) throws IOException {
    encode(i).writeTo(out);
  }

  @Override
  public byte[] jsonBytes(int i) {
    return encode(i).toBytes();
  }
}
