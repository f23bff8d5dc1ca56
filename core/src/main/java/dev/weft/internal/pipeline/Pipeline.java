package dev.weft.internal.pipeline;

import dev.weft.internal.context.SpanRecord;
import dev.weft.spi.Collector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous collection pipeline: application threads {@link #offer} finished spans into a
 * bounded {@link RingBuffer}; one daemon thread drains it in batches and hands each batch to the
 * {@link Collector} as an {@link dev.weft.spi.EventBatch} over the ring slots, read in place: the
 * slots are given back to the producers when the collector returns.
 *
 * <p>Failure rules: a full ring drops the span and counts it; a collector that throws loses that
 * batch (counted as dropped), logs a rate-limited warning and is retried after an exponential
 * backoff (100 ms doubling to 30 s); a collector that blocks holds up only this thread, so the ring
 * fills and further spans are dropped. {@link #shutdown(long)} flushes what is queued within a
 * bound.
 */
public final class Pipeline {
  private static final System.Logger LOG = System.getLogger("dev.weft");

  /**
   * How long the collector thread lingers for more spans by default ({@code
   * weft.queue.linger_millis}), after a batch or when it is woken by the first span after an idle
   * spell, before it takes what came: producers do not signal it per span meanwhile (only at every
   * {@code capacity/8}-th span and when a quarter of the byte budget is in use; {@link #flush} and
   * {@link #shutdown} wake it too). So a span is stored within about this time, in one batch with
   * every span that came meanwhile, as OpenTelemetry's batch processor does with its schedule delay
   * (5 s there). Once a linger brings nothing, the thread waits until the next span wakes it
   * ({@link #IDLE_NANOS}).
   *
   * <p>Design note: each wake-up of a parked thread costs CPU of its own, which on a virtual
   * machine measured ~0.1 ms (a plain {@code parkNanos} loop, per wake-up). Waits of 1, 2, 4 and 8
   * ms (the first design) woke the thread 125 times a second in an idle process and two or three
   * times per request at 200 traced requests a second, where the wake-ups and the file collector's
   * system calls cost more CPU than encoding the spans; a 1 ms gathering wait per batch, as many
   * again. A batch into {@code redis://} also costs a fixed ~0.17 ms of the thread's CPU beyond its
   * spans (the wake-up, a write, waiting for and reading the reply): at 200 traced requests a
   * second, lingering 250 ms rather than 50 took the collector thread from 30-35 to 17.5-22.5 µs a
   * request (benchmarks/README.md, CpuPerRequest).
   */
  static final long LINGER_MILLIS = 250;

  /**
   * The longest idle wait: it ends early at the next span, so this only bounds the delay of a span
   * whose wake-up was lost to the race {@link RingBuffer#idle(long)} describes, and sets how often
   * an idle process wakes the thread. Design note: 1 s, with a linger after each idle wait, woke an
   * enabled but untraced test app's collector thread 1.6 times a second, 0.8 µs of CPU per request
   * at 200 requests a second (benchmarks/README.md, CpuPerRequest).
   */
  static final long IDLE_NANOS = 5_000_000_000L;

  /**
   * Fewer spans than this ready: linger for more before taking them. Design note: a consumer that
   * takes spans as fast as producers publish them reads, clears and releases the very slots they
   * write next, so every span moves cache lines between the cores both ways; gathering lets
   * producers fill a run of slots undisturbed, and the consumer then takes the run in one batch.
   */
  static final int GATHER_SPANS = 2048;

  private static final long WARN_INTERVAL_NANOS = 30_000_000_000L;

  private final RingBuffer ring;
  private final int batchSize;
  private final long lingerNanos;
  private volatile Collector collector;
  private volatile EventEncoder encoder;
  private volatile boolean running = true;
  private final Thread thread;

  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong droppedCollector = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong collectorErrors = new AtomicLong();
  private final AtomicLong droppedAtShutdown = new AtomicLong();

  /** Whether the collector thread is parked lingering for more spans; for tests. */
  boolean lingering() {
    return ring.lingering();
  }

  /** The wait before the next batch after the last one (0: none); for tests. */
  volatile long backoff;

  private volatile long processed;
  private long lastWarn = System.nanoTime() - WARN_INTERVAL_NANOS;
  private long suppressedWarnings;

  public Pipeline(int capacity, int batchSize, Collector collector, EventEncoder encoder) {
    this(capacity, Long.MAX_VALUE, batchSize, collector, encoder);
  }

  /** A pipeline whose queue is bounded by {@code capacity} spans and {@code maxBytes} bytes. */
  public Pipeline(
      int capacity, long maxBytes, int batchSize, Collector collector, EventEncoder encoder) {
    this(capacity, maxBytes, batchSize, LINGER_MILLIS, collector, encoder);
  }

  /**
   * As above, the collector thread lingering {@code lingerMillis} for more spans (taken within 1 to
   * 10,000).
   */
  public Pipeline(
      int capacity,
      long maxBytes,
      int batchSize,
      long lingerMillis,
      Collector collector,
      EventEncoder encoder) {
    this.ring = new RingBuffer(capacity, maxBytes);
    this.batchSize = Math.max(1, batchSize);
    this.lingerNanos = Math.min(10_000, Math.max(1, lingerMillis)) * 1_000_000L;
    this.collector = collector;
    this.encoder = encoder;
    this.thread = new Thread(this::run, "weft-collector");
    this.thread.setDaemon(true);
    this.ring.consumer(thread);
    this.thread.start();
  }

  /** Hands a finished span over; never blocks, never throws. */
  public void offer(SpanRecord r) {
    ring.offer(r, null);
  }

  /**
   * As {@link #offer(SpanRecord)}, charging the queue's byte budget through the calling thread's
   * own {@code credit} (see {@link RingBuffer}).
   */
  public void offer(SpanRecord r, RingBuffer.Credit credit) {
    ring.offer(r, credit);
  }

  public void collector(Collector c) {
    Collector old = this.collector;
    this.collector = c;
    if (old != null && old != c) {
      closeQuietly(old);
    }
  }

  public Collector collector() {
    return collector;
  }

  public void encoder(EventEncoder e) {
    this.encoder = e;
  }

  private void run() {
    SlotBatch batch = new SlotBatch(ring);
    long backoffMillis = 0;
    boolean gathered = false;
    boolean idle = false;
    while (true) {
      int n = ring.peek(batchSize);
      if (n > 0) {
        idle = false;
      }
      if (n > 0 && n < Math.min(GATHER_SPANS, batchSize) && !gathered && running) {
        ring.park(lingerNanos, false);
        gathered = true;
        continue;
      }
      if (n == 0) {
        if (!running) {
          return;
        }
        if (gathered || idle) {
          // A whole linger (or idle wait) brought nothing: sleep until the next span, then linger
          // once more. An idle process wakes this thread once per IDLE_NANOS, no more.
          ring.idle(IDLE_NANOS);
          gathered = false;
          idle = true;
        } else {
          ring.park(lingerNanos, true);
          gathered = true; // what came during the wait is taken at once
        }
        continue;
      }
      gathered = false;
      // The collector reads the spans in their slots; they are released (and may be reused by
      // producers) only after it returns.
      batch.reset(n, encoder);
      try {
        collector.store(batch);
        stored.addAndGet(n);
        batches.incrementAndGet();
        backoffMillis = 0;
      } catch (dev.weft.spi.PartialFailure pf) {
        int lost = Math.min(n, (pf.failedEvents() + 1) / 2);
        stored.addAndGet(n - lost);
        droppedCollector.addAndGet(lost);
        collectorErrors.incrementAndGet();
        batches.incrementAndGet();
        warn("weft: collector stored a batch but " + lost + " spans: " + pf.getMessage());
        backoffMillis = 0;
      } catch (Throwable t) {
        droppedCollector.addAndGet(n);
        collectorErrors.incrementAndGet();
        warn("weft: collector failed, " + n + " spans dropped: " + t);
        backoffMillis = backoffMillis == 0 ? 100 : Math.min(30_000, backoffMillis * 2);
      } finally {
        batch.close();
        ring.release(n);
      }
      processed += n;
      backoff = backoffMillis;
      if (backoffMillis > 0 && running) {
        sleep(backoffMillis * 1_000_000L);
      }
    }
  }

  private void warn(String message) {
    long now = System.nanoTime();
    if (now - lastWarn >= WARN_INTERVAL_NANOS) {
      String suffix =
          suppressedWarnings > 0 ? " (" + suppressedWarnings + " similar warnings suppressed)" : "";
      LOG.log(System.Logger.Level.WARNING, message + suffix);
      lastWarn = now;
      suppressedWarnings = 0;
    } else {
      suppressedWarnings++;
    }
  }

  /** The wait after a failed batch: the whole of it (a flush's wake-up does not cut it short). */
  private void sleep(long nanos) {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && running; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /**
   * Waits until every span accepted before this call has been stored or dropped, for at most {@code
   * timeoutMillis}. Returns whether that point was reached.
   */
  public boolean flush(long timeoutMillis) {
    long target = ring.accepted();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (processed < target) {
      if (System.nanoTime() - deadline >= 0 || !thread.isAlive()) {
        return false;
      }
      LockSupport.unpark(thread); // it may be in its idle wait
      LockSupport.parkNanos(1_000_000L);
    }
    return true;
  }

  /**
   * Flushes, stops the thread and closes the collector, all within one deadline {@code
   * timeoutMillis} from now; spans that requests still in flight end after the flush are stored
   * too, until the queue has been empty for {@value #QUIET_MILLIS} ms. Spans still queued when the
   * deadline passes are counted as dropped ({@link #droppedAtShutdown()}); one line is logged with
   * what was stored during shutdown, what was left, and the counters since start (accepted = stored
   * + dropped by the collector + unstored).
   */
  /** How long the queue must stay empty at shutdown before the collector thread is stopped. */
  static final long QUIET_MILLIS = 100;

  public boolean shutdown(long timeoutMillis) {
    long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
    long storedBefore = stored.get();
    boolean flushed = flush(timeoutMillis);
    // Requests still in flight while the JVM shuts down end their spans after that flush: keep
    // storing until the queue has stayed empty for QUIET_MILLIS, within the same deadline.
    long quietSince = System.nanoTime();
    while (flushed && ring.accepted() > 0) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        break;
      }
      if (ring.accepted() > processed) {
        flushed = flush(Math.max(1, (deadline - now) / 1_000_000L));
        quietSince = System.nanoTime();
      } else if (now - quietSince >= QUIET_MILLIS * 1_000_000L) {
        break;
      } else {
        LockSupport.parkNanos(5_000_000L);
      }
    }
    running = false;
    LockSupport.unpark(thread);
    try {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left > 0) {
        thread.join(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long unstored = Math.max(0, ring.accepted() - processed);
    droppedAtShutdown.addAndGet(unstored);
    if (thread.isAlive()) {
      thread.interrupt(); // a collector call still blocked past the deadline
    } else {
      closeQuietly(collector);
    }
    if (ring.accepted() > 0) {
      logAtExit(
          unstored > 0 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
          "weft: shutdown stored "
              + (stored.get() - storedBefore)
              + " spans, left "
              + unstored
              + " unstored (bound "
              + timeoutMillis
              + " ms); since start "
              + ring.accepted()
              + " accepted = "
              + stored.get()
              + " stored + "
              + droppedCollector.get()
              + " dropped by the collector + "
              + unstored
              + " unstored, "
              + ring.droppedFull()
              + " refused by the full queue");
    }
    return flushed && unstored == 0;
  }

  /**
   * Logs, or, when java.util.logging has already been reset by its own shutdown hook (which runs
   * beside Weft's, in no fixed order, and leaves the root logger without handlers), writes the line
   * to standard error, so that the shutdown line is never lost.
   */
  private static void logAtExit(System.Logger.Level level, String line) {
    boolean julReset;
    try {
      julReset = java.util.logging.Logger.getLogger("").getHandlers().length == 0;
    } catch (RuntimeException | LinkageError e) {
      julReset = false;
    }
    if (julReset && LOG.isLoggable(level)) {
      System.err.println(level + ": " + line);
    } else {
      LOG.log(level, line);
    }
  }

  /** Spans still queued when {@link #shutdown} reached its deadline. */
  public long droppedAtShutdown() {
    return droppedAtShutdown.get();
  }

  private static void closeQuietly(Collector c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.DEBUG, "weft: collector close failed", e);
    }
  }

  public long accepted() {
    return ring.accepted();
  }

  public long stored() {
    return stored.get();
  }

  public long droppedQueueFull() {
    return ring.droppedFull();
  }

  public long droppedCollector() {
    return droppedCollector.get();
  }

  public long batches() {
    return batches.get();
  }

  public long collectorErrors() {
    return collectorErrors.get();
  }

  /**
   * The queue's byte budget in use: approximate bytes of the queued spans plus the credit threads
   * have leased and not spent (see {@link RingBuffer}).
   */
  public long queuedBytes() {
    return ring.queuedBytes();
  }

  public int queueSize() {
    return ring.size();
  }

  public int capacity() {
    return ring.capacity();
  }
}
