package dev.weft.internal.pipeline;

import dev.weft.internal.context.SpanRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off between application threads and the collector thread: a preallocated
 * multi-producer, single-consumer ring of {@link SpanRecord} slots (Vyukov's bounded queue). A
 * producer claims a slot with one CAS and copies its span into it; nothing is allocated per span.
 * When the ring is full, or the byte budget is spent, the span is dropped and counted; a producer
 * never waits.
 *
 * <p>The consumer reads the slots in place ({@link #peek}, {@link #slot}, {@link #release}) instead
 * of copying each span out.
 *
 * <p><b>Byte budget.</b> Besides its slots the ring is bounded by {@code maxBytes} of approximate
 * span size ({@link SpanRecord#approxBytes()}). A shared counter updated by every span would be one
 * contended cache line written by every producer and the consumer, so producers that hold a {@link
 * Credit} (one per thread context) take a <em>lease</em> of {@link #leaseBytes()} from the shared
 * budget only when their local credit runs out, and spend it span by span without touching shared
 * state; the consumer gives a span's bytes back to the shared budget once it has released the slot.
 * A thread's unused credit goes back when its trace ends on it ({@link Credit#giveBack()}), or, for
 * a thread that ended inside a trace, when its context is garbage-collected.
 *
 * <p>The bound: the shared counter is the queued spans' bytes plus the unused credit that threads
 * hold, and a lease is only taken when the counter stays within {@code maxBytes}; so the queued
 * bytes never exceed {@code maxBytes} (and "queued + outstanding leases" never does either). The
 * price is that a span can be refused while budget sits unused in other threads' credits: at most
 * one lease per thread that has recorded spans and not yet ended its trace.
 *
 * <p><b>Wake-up.</b> The consumer waits for more spans with {@link #park(long, boolean)}: producers
 * unpark it then only at every {@code capacity/8}-th position or when a lease finds a quarter of
 * the byte budget in use, so a busy stream of spans is taken in batches and never signals per span;
 * the wait's timeout covers the rest. Once a whole wait brought nothing, it waits with {@link
 * #idle(long)}, and the first span published after that wakes it: one wake-up per burst of spans,
 * none while nothing is traced.
 */
public final class RingBuffer {
  /** A slot: a span record plus the sequence that says whose turn it is. */
  static final class Slot extends SpanRecord {
    volatile long seq;

    /** What the producer charged to the byte budget for this span. */
    long bytes;

    /**
     * Copies {@code r} in, skipping each reference store whose value is already there: the consumer
     * keeps the short strings that repeat from span to span ({@link #clearOwn()}), so the producer
     * usually finds them in place and neither dirties the line nor pays the collector's write
     * barrier for them.
     */
    void fill(SpanRecord r) {
      if (name != r.name) {
        name = r.name;
      }
      if (shape != r.shape) {
        shape = r.shape;
      }
      if (baseId != r.baseId) {
        baseId = r.baseId;
      }
      if (service != r.service) {
        service = r.service;
      }
      if (parentText != r.parentText) {
        parentText = r.parentText;
      }
      parentHi = r.parentHi;
      parentLo = r.parentLo;
      idHi = r.idHi;
      idLo = r.idLo;
      startTick = r.startTick;
      stopTick = r.stopTick;
      if (a != r.a) {
        a = r.a;
      }
      if (b != r.b) {
        b = r.b;
      }
      if (c != r.c) {
        c = r.c;
      }
      if (d != r.d) {
        d = r.d;
      }
      if (e != r.e) {
        e = r.e;
      }
      if (f != r.f) {
        f = r.f;
      }
      if (extra != r.extra) {
        extra = r.extra;
      }
      n = r.n;
      status = r.status;
      if (etype != r.etype) {
        etype = r.etype;
      }
      if (message != r.message) {
        message = r.message;
      }
      if (annotations != r.annotations) {
        annotations = r.annotations;
      }
    }

    /**
     * Run by the consumer once it is done with the slot: drops the references that may pin big
     * objects (the category's values, arguments, messages, annotations) so a slot does not keep
     * them alive for a lap of the ring. The name, ids, service and error type are kept when short,
     * because the next span in the slot most likely carries the very same strings. Only fields that
     * hold something are written.
     */
    void clearOwn() {
      if (a != null) {
        a = null;
      }
      if (b != null) {
        b = null;
      }
      if (c != null) {
        c = null;
      }
      if (d != null) {
        d = null;
      }
      if (e != null) {
        e = null;
      }
      if (f != null) {
        f = null;
      }
      if (extra != null) {
        extra = null;
      }
      if (annotations != null) {
        annotations = null;
      }
      if (message != null) {
        message = null;
      }
      if (long_(name)) {
        name = null;
      }
      if (long_(baseId)) {
        baseId = null;
      }
      if (long_(service)) {
        service = null;
      }
      if (long_(parentText)) {
        parentText = null;
      }
      if (long_(etype)) {
        etype = null;
      }
    }

    private static boolean long_(String s) {
      return s != null && s.length() > KEEP_CHARS;
    }
  }

  /** Strings up to this length (a UUID's text) stay in a slot after it is consumed. */
  static final int KEEP_CHARS = 36;

  /**
   * One thread's local byte credit against one ring's budget; used by that thread only. Held in the
   * thread's context, which gives it back when the trace ends there.
   */
  public static final class Credit {
    RingBuffer ring;
    long left;

    /** Returns the unused credit to the ring's shared budget. */
    public void giveBack() {
      RingBuffer r = ring;
      if (r != null) {
        long l = left;
        ring = null;
        left = 0;
        if (l > 0) {
          r.counters.getAndAdd(BYTES, -l);
        }
      }
    }

    /** The credit held now (for tests). */
    long left() {
      return left;
    }
  }

  private static final VarHandle SEQ;

  static {
    try {
      SEQ = MethodHandles.lookup().findVarHandle(Slot.class, "seq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The shared counters, each on its own pair of cache lines so that the producers' tail CAS, the
  // budget and the consumer's head do not share a line with each other or with the fields that
  // producers read on every offer.
  private static final int TAIL = 16;
  private static final int BYTES = 32;
  private static final int HEAD = 48; // written by the consumer only
  private static final int SLEEPING = 64; // LINGERING or IDLE while the consumer is parked

  /** The consumer waits for more spans: producers wake it at wake points only. */
  private static final long LINGERING = 1;

  /** The consumer found nothing for a whole wait: the next span wakes it, at any position. */
  private static final long IDLE = 2;

  private final AtomicLongArray counters = new AtomicLongArray(80);

  private final Slot[] slots;
  private final int mask;
  private final int wakeMask;
  private final long maxBytes;
  private final long leaseBytes;

  /**
   * The other wake point, for a byte budget that fills before {@code capacity/8} spans do (big
   * spans, or a big ring): a lease (or a span charged directly) that finds a quarter of the budget
   * in use wakes a parked consumer rather than leaving it to its timeout, during which the budget
   * could run out and spans be refused.
   */
  private final long wakeBytes;

  private final LongAdder dropped = new LongAdder();
  private volatile Thread consumer;

  /** The consumer's own copy of head. */
  private long head;

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
    this.leaseBytes = Math.max(1024L, Math.min(16 * 1024L, maxBytes / 1024));
    this.wakeBytes = maxBytes / 4;
    int cap = Integer.highestOneBit(Math.max(2, Math.min(requestedCapacity, 1 << 24)) - 1) << 1;
    slots = new Slot[cap];
    for (int i = 0; i < cap; i++) {
      slots[i] = new Slot();
      slots[i].seq = i;
    }
    mask = cap - 1;
    wakeMask = Math.max(1, cap / 8) - 1;
  }

  public int capacity() {
    return slots.length;
  }

  /** The size of one lease: {@code maxBytes / 1024}, within 1 KB and 16 KB. */
  public long leaseBytes() {
    return leaseBytes;
  }

  /** The thread that {@link #park}s, to be unparked by producers. */
  void consumer(Thread t) {
    consumer = t;
  }

  /** Copies {@code r} into a free slot; returns false (and counts a drop) when it cannot. */
  public boolean offer(SpanRecord r) {
    return offer(r, null);
  }

  /**
   * As {@link #offer(SpanRecord)}, charging the byte budget through {@code credit} (the calling
   * thread's own; null charges the shared budget directly, for spans finished off their thread).
   */
  public boolean offer(SpanRecord r, Credit credit) {
    long size = r.approxBytes();
    long used = charge(size, credit);
    if (used < 0) {
      dropped.increment();
      return false;
    }
    AtomicLongArray ctr = counters;
    long pos = ctr.get(TAIL);
    for (; ; ) {
      Slot s = slots[(int) pos & mask];
      long seq = (long) SEQ.getAcquire(s);
      long dif = seq - pos;
      if (dif == 0) {
        if (ctr.weakCompareAndSetVolatile(TAIL, pos, pos + 1)) {
          s.fill(r);
          s.bytes = size;
          SEQ.setRelease(s, pos + 1);
          // After publishing, so that a consumer woken here finds the span.
          long sleeping = ctr.get(SLEEPING);
          if (sleeping == IDLE
              ? ctr.compareAndSet(SLEEPING, IDLE, 0)
              : sleeping != 0 && ((pos & wakeMask) == 0 || used > wakeBytes)) {
            LockSupport.unpark(consumer);
          }
          return true;
        }
        pos = ctr.get(TAIL);
      } else if (dif < 0) {
        refund(size, credit);
        dropped.increment();
        return false;
      } else {
        pos = ctr.get(TAIL);
      }
    }
  }

  /**
   * Charges {@code size} to the budget: returns -1 when it does not fit, else the shared counter
   * after this charge if it touched the counter (a lease, or a span charged directly), else 0.
   */
  private long charge(long size, Credit credit) {
    AtomicLongArray ctr = counters;
    if (credit == null) {
      long used = ctr.addAndGet(BYTES, size);
      if (used > maxBytes) {
        ctr.getAndAdd(BYTES, -size);
        return -1;
      }
      return used;
    }
    if (credit.ring != this) {
      credit.giveBack(); // a credit of a ring this runtime no longer uses
      credit.ring = this;
    }
    long left = credit.left;
    if (left >= size) {
      credit.left = left - size;
      return 0;
    }
    long need = size - left;
    long want = Math.max(leaseBytes, need);
    for (; ; ) {
      long cur = ctr.get(BYTES);
      long room = maxBytes - cur;
      if (room < need) {
        return -1;
      }
      long take = Math.min(room, want);
      if (ctr.compareAndSet(BYTES, cur, cur + take)) {
        credit.left = left + take - size;
        return cur + take;
      }
    }
  }

  private void refund(long size, Credit credit) {
    if (credit == null || credit.ring != this) {
      counters.getAndAdd(BYTES, -size);
    } else {
      credit.left += size;
    }
  }

  /**
   * How many spans, up to {@code max}, are ready to be read in place from the head. Consumer thread
   * only.
   */
  public int peek(int max) {
    long h = head;
    int n = 0;
    while (n < max && (long) SEQ.getAcquire(slots[(int) (h + n) & mask]) == h + n + 1) {
      n++;
    }
    return n;
  }

  /**
   * The {@code i}-th ready span from the head ({@code i <} what {@link #peek} returned), read in
   * place: valid until {@link #release}. Consumer thread only.
   */
  SpanRecord slot(int i) {
    return slots[(int) (head + i) & mask];
  }

  /**
   * Gives the first {@code n} ready slots back to the producers: clears what they should not pin,
   * advances head, then returns their bytes to the budget. Consumer thread only.
   */
  public void release(int n) {
    long h = head;
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      Slot s = slots[(int) (h + i) & mask];
      bytes += s.bytes;
      s.clearOwn();
      SEQ.setRelease(s, h + i + slots.length);
    }
    head = h + n;
    counters.setRelease(HEAD, h + n);
    if (bytes != 0) {
      counters.getAndAdd(BYTES, -bytes);
    }
  }

  /**
   * Takes the next published span into {@code into}; returns false when none is ready. Consumer
   * thread only; the collector thread reads in place instead.
   */
  public boolean poll(SpanRecord into) {
    if (peek(1) == 0) {
      return false;
    }
    into.copyFrom(slot(0));
    release(1);
    return true;
  }

  /**
   * Parks the consumer for at most {@code nanos} — unless a span is ready, when {@code whenEmpty} —
   * and lets producers see it parked: one unparks it at every {@code capacity/8}-th span, or when a
   * lease finds a quarter of the byte budget in use. Consumer thread only.
   */
  void park(long nanos, boolean whenEmpty) {
    sleep(LINGERING, nanos, whenEmpty);
  }

  /**
   * Parks the consumer until the next span is published (by whichever producer publishes it, at any
   * position), for at most {@code nanos}; returns at once when a span is ready. The timeout only
   * bounds a wake-up lost to the race this leaves open: a producer reads the flag without a fence
   * after publishing its span (a fence per span would cost every span several nanoseconds), so it
   * can miss a consumer that is just going to sleep, and the span then waits for the timeout.
   * Consumer thread only.
   */
  void idle(long nanos) {
    sleep(IDLE, nanos, true);
  }

  private void sleep(long how, long nanos, boolean whenEmpty) {
    counters.set(SLEEPING, how);
    try {
      if (!whenEmpty || peek(1) == 0) {
        LockSupport.parkNanos(nanos);
      }
    } finally {
      counters.set(SLEEPING, 0);
    }
  }

  /** Whether the consumer is parked lingering for more spans (tests). */
  boolean lingering() {
    return counters.get(SLEEPING) == LINGERING;
  }

  /** Spans accepted so far (claimed slots). */
  public long accepted() {
    return counters.get(TAIL);
  }

  /** Spans taken by the consumer so far. */
  public long taken() {
    return counters.get(HEAD);
  }

  public long droppedFull() {
    return dropped.sum();
  }

  /**
   * The byte budget in use: the approximate bytes of the queued spans, plus the credit that threads
   * have leased and not spent yet (at most one lease each).
   */
  public long queuedBytes() {
    return counters.get(BYTES);
  }

  public int size() {
    return (int) Math.max(0, counters.get(TAIL) - counters.get(HEAD));
  }
}
