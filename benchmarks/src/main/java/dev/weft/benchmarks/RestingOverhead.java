package dev.weft.benchmarks;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.WeftRuntime;
import dev.weft.internal.pipeline.Pipeline;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one join point costs at rest and when traced, side by side with the unwoven twin and an
 * OpenTelemetry SDK span around the same body (DESIGN.md §7):
 *
 * <ul>
 *   <li>{@code unwoven} — {@link PlainWork#work()}, the twin the weaver did not touch;
 *   <li>{@code wovenDisabled} — {@link TracedWork#work()} with {@code weft.enabled=false};
 *   <li>{@code enabledNotTraced} — enabled, but no trace is active in the process (a join point
 *       then reads one shared counter of contexts in a trace, not its thread's ThreadLocal);
 *   <li>{@code enabledOtherThreadTraced} — enabled, no trace on the benchmark thread, while another
 *       thread holds one open: the join point looks its thread's context up (the ThreadLocal);
 *   <li>{@code traced} — inside a trace: span start + stop + hand-off to the collection pipeline,
 *       whose collector ({@code discard://}) neither encodes nor keeps the spans;
 *   <li>{@code otelSpan} — the twin inside an OpenTelemetry SDK span (child of an active span, made
 *       current, ended), BatchSpanProcessor to an exporter that keeps nothing.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RestingOverhead -prof gc -prof
 * dev.weft.benchmarks.WorkerAllocProfiler}. JMH forks a JVM per benchmark method, so Weft's static
 * switches are set per method by its state's setup.
 *
 * <p>Design note: a loop that does nothing but open spans makes them faster than one collector
 * thread can encode them (about a million spans per second: {@code CollectorThroughput}), and a
 * span the full queue refuses takes a cheaper path; so {@code discard://} does not encode, and
 * {@code traced} is what a span costs the application thread. The Weft states use a byte budget
 * large enough for the whole ring, and the collector drains the ring after every iteration (outside
 * the measured time). Each trial prints its pipeline counters (spans offered, stored, refused), and
 * the OpenTelemetry trial its exported count, so a run shows what share of its spans, if any, was
 * dropped.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class RestingOverhead {
  /**
   * Ring slots: the shipped default (65,536). A larger ring (a million slots was tried) leaves
   * fewer spans dropped in this flood, but each span then goes to a slot a hundred megabytes away
   * from the last lap's, cold in every cache, which no application sees at its span rate; the
   * measured span became 2-4 times slower. {@code -Dbench.queue.capacity=N} (in {@code
   * -jvmArgsAppend}) overrides it.
   */
  static final String QUEUE_CAPACITY = System.getProperty("bench.queue.capacity", "65536");

  /**
   * The queue's byte budget: room for a full ring of this benchmark's spans (about 300 B each as
   * the budget counts them), so that the budget (8 MiB by default, about 27,000 of these spans)
   * does not refuse spans before the ring is full whenever the collector thread is descheduled for
   * a few milliseconds. The spans share their strings: this is a count, not heap the queue holds.
   * {@code -Dbench.queue.max_bytes=N} overrides it.
   */
  static final String QUEUE_MAX_BYTES =
      System.getProperty("bench.queue.max_bytes", String.valueOf(512L << 20));

  /** The unwoven twin. */
  @State(Scope.Thread)
  public static class Plain {
    final PlainWork work = new PlainWork();
  }

  /** The woven method. */
  @State(Scope.Thread)
  public static class Woven {
    final TracedWork work = new TracedWork();
  }

  /** Weft switched off ({@code weft.enabled=false}). */
  @State(Scope.Benchmark)
  public static class WeftOff {
    @Setup(Level.Trial)
    public void configure() {
      configureWeft(false);
    }
  }

  /** Weft switched on, collecting into {@code discard://}. */
  @State(Scope.Benchmark)
  public static class WeftOn {
    private long offeredBefore;

    @Setup(Level.Trial)
    public void configure() {
      configureWeft(true);
      offeredBefore = offered(WeftRuntime.pipeline());
    }

    @TearDown(Level.Trial)
    public void report() {
      Weft.flush();
      Pipeline p = WeftRuntime.pipeline();
      long offered = offered(p) - offeredBefore;
      if (offered > 0) {
        System.out.printf(
            "%nweft pipeline: spans offered=%d, stored=%d, dropped (queue full)=%d,"
                + " dropped (collector)=%d, events discarded by the collector=%d%n",
            offered,
            p.stored(),
            p.droppedQueueFull(),
            p.droppedCollector(),
            DiscardingCollectorFactory.EVENTS.sum());
      }
    }

    private static long offered(Pipeline p) {
      return p.accepted() + p.droppedQueueFull();
    }
  }

  static void configureWeft(boolean enabled) {
    // The queue capacity is read when the pipeline starts: set it first.
    Weft.set("weft.queue.capacity", QUEUE_CAPACITY);
    Weft.set("weft.queue.max_bytes", QUEUE_MAX_BYTES);
    Weft.set("weft.flush_timeout_millis", "120000");
    Weft.set("weft.connection_string", "discard://");
    Weft.set("weft.trace.annotated", "true");
    Weft.set("weft.enabled", String.valueOf(enabled));
  }

  /** A trace held open on a thread of its own for the whole trial. */
  @State(Scope.Benchmark)
  public static class TraceElsewhere {
    private final java.util.concurrent.CountDownLatch end =
        new java.util.concurrent.CountDownLatch(1);
    private Thread holder;

    @Setup(Level.Trial)
    public void begin(WeftOn on) throws InterruptedException {
      java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
      holder =
          new Thread(
              () -> {
                try (TraceScope s = Trace.begin(UUID.randomUUID().toString(), null, null)) {
                  begun.countDown();
                  end.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "trace-elsewhere");
      holder.setDaemon(true);
      holder.start();
      begun.await();
    }

    @TearDown(Level.Trial)
    public void end() throws InterruptedException {
      end.countDown();
      holder.join();
    }
  }

  /** A trace active on the benchmark thread for the whole iteration. */
  @State(Scope.Thread)
  public static class InTrace {
    private TraceScope scope;

    @Setup(Level.Iteration)
    public void begin(WeftOn on) {
      scope = Trace.begin(UUID.randomUUID().toString(), null, null);
    }

    @TearDown(Level.Iteration)
    public void end() {
      scope.close();
      Weft.flush(); // drain the ring outside the measured time
    }
  }

  /**
   * An OpenTelemetry SDK tracer: BatchSpanProcessor (defaults) to an exporter that keeps nothing.
   */
  @State(Scope.Benchmark)
  public static class Otel {
    DiscardingSpanExporter exporter;
    SdkTracerProvider provider;
    Tracer tracer;

    @Setup(Level.Trial)
    public void start() {
      exporter = new DiscardingSpanExporter();
      provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
              .build();
      tracer = provider.get("weft-benchmarks");
    }

    @TearDown(Level.Trial)
    public void stop() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /**
   * An OpenTelemetry parent span, current on the benchmark thread for the whole iteration, and the
   * unwoven twin that the {@code otelSpan} benchmark wraps.
   */
  @State(Scope.Thread)
  public static class OtelInTrace {
    final PlainWork work = new PlainWork();
    private Otel otel;
    private Span parent;
    private io.opentelemetry.context.Scope scope;

    @Setup(Level.Trial)
    public void init(Otel otel) {
      this.otel = otel;
    }

    @Setup(Level.Iteration)
    public void begin() {
      parent = otel.tracer.spanBuilder("request").startSpan();
      scope = parent.makeCurrent();
    }

    @TearDown(Level.Iteration)
    public void end() {
      scope.close();
      parent.end();
    }

    @TearDown(Level.Trial)
    public void report() {
      otel.provider.forceFlush().join(10, TimeUnit.SECONDS);
      System.out.printf(
          "%notel: spans ended=%d (+ one parent per iteration), exported (discarded)=%d%n",
          work.count(), otel.exporter.spans.sum());
    }
  }

  @Benchmark
  public long unwoven(Plain p) {
    return p.work.work();
  }

  @Benchmark
  public long wovenDisabled(WeftOff off, Woven w) {
    return w.work.work();
  }

  @Benchmark
  public long enabledNotTraced(WeftOn on, Woven w) {
    return w.work.work();
  }

  @Benchmark
  public long enabledOtherThreadTraced(TraceElsewhere elsewhere, Woven w) {
    return w.work.work();
  }

  @Benchmark
  public long traced(InTrace t, Woven w) {
    return w.work.work();
  }

  /**
   * Reference row: one {@link System#nanoTime()} read. Both a Weft span and an OpenTelemetry span
   * read the clock twice (start, end), so on a machine where the clock is slow (a VM whose clock
   * source is not the TSC) this sets a floor under both.
   */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public long otelSpan(Otel otel, OtelInTrace t) {
    Span span = otel.tracer.spanBuilder("work").startSpan();
    try (io.opentelemetry.context.Scope s = span.makeCurrent()) {
      return t.work.work();
    } finally {
      span.end();
    }
  }
}
