package dev.weft.internal.pipeline;

import dev.weft.internal.context.SpanRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded hand-off between application threads and the collector thread: a preallocated
 * multi-producer, single-consumer ring of {@link SpanRecord} slots (Vyukov's bounded queue). A
 * producer claims a slot with one CAS and copies its span into it; nothing is allocated per span.
 * When the ring is full the span is dropped and counted; a producer never waits.
 */
public final class RingBuffer {
  /** A slot: a span record plus the sequence that says whose turn it is. */
  static final class Slot extends SpanRecord {
    volatile long seq;
  }

  private static final VarHandle SEQ;

  static {
    try {
      SEQ = MethodHandles.lookup().findVarHandle(Slot.class, "seq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Slot[] slots;
  private final int mask;
  private final AtomicLong tail = new AtomicLong();
  private volatile long head; // written by the consumer only
  private final java.util.concurrent.atomic.LongAdder dropped =
      new java.util.concurrent.atomic.LongAdder();

  /** Approximate bytes held by queued spans, against {@link #maxBytes}. */
  private final AtomicLong bytes = new AtomicLong();

  private final long maxBytes;

  public RingBuffer(int requestedCapacity) {
    this(requestedCapacity, Long.MAX_VALUE);
  }

  /**
   * A ring of {@code requestedCapacity} slots (rounded up to a power of two) that also refuses a
   * span when the queued spans' approximate size ({@link SpanRecord#approxBytes()}) would pass
   * {@code maxBytes}.
   */
  public RingBuffer(int requestedCapacity, long maxBytes) {
    this.maxBytes = maxBytes;
    int cap = Integer.highestOneBit(Math.max(2, Math.min(requestedCapacity, 1 << 24)) - 1) << 1;
    slots = new Slot[cap];
    for (int i = 0; i < cap; i++) {
      slots[i] = new Slot();
      slots[i].seq = i;
    }
    mask = cap - 1;
  }

  public int capacity() {
    return slots.length;
  }

  /** Copies {@code r} into a free slot; returns false (and counts a drop) when the ring is full. */
  public boolean offer(SpanRecord r) {
    long size = r.approxBytes();
    if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      dropped.increment();
      return false;
    }
    long pos = tail.get();
    for (; ; ) {
      Slot s = slots[(int) pos & mask];
      long seq = (long) SEQ.getAcquire(s);
      long dif = seq - pos;
      if (dif == 0) {
        if (tail.compareAndSet(pos, pos + 1)) {
          s.copyFrom(r);
          SEQ.setRelease(s, pos + 1);
          return true;
        }
        pos = tail.get();
      } else if (dif < 0) {
        bytes.addAndGet(-size);
        dropped.increment();
        return false;
      } else {
        pos = tail.get();
      }
    }
  }

  /**
   * Takes the next published span into {@code into}; returns false when none is ready. Consumer
   * thread only.
   */
  public boolean poll(SpanRecord into) {
    Slot s = slots[(int) head & mask];
    long seq = (long) SEQ.getAcquire(s);
    if (seq != head + 1) {
      return false;
    }
    into.copyFrom(s);
    bytes.addAndGet(-into.approxBytes());
    s.extra = null;
    s.a = s.b = s.c = s.d = s.e = s.f = null;
    s.annotations = null;
    SEQ.setRelease(s, head + slots.length);
    head++;
    return true;
  }

  /** Spans accepted so far (claimed slots). */
  public long accepted() {
    return tail.get();
  }

  /** Spans taken by the consumer so far. */
  public long taken() {
    return head;
  }

  public long droppedFull() {
    return dropped.sum();
  }

  /** Approximate bytes held by the spans queued now. */
  public long queuedBytes() {
    return bytes.get();
  }

  public int size() {
    return (int) Math.max(0, tail.get() - head);
  }
}
