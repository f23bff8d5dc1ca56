package dev.weft.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The secondary results of {@link CpuPerRequest}: the CPU time the test-app's process spent per
 * request answered in the iteration's window ({@code cpu.per.request}, µs/request), the same
 * without the JIT compiler threads ({@code cpu.per.request.no.jit}: a window in which the JIT
 * recompiles costs more, whatever the row), the requests answered ({@code requests}) and the rate
 * held ({@code rate}, requests/s); for {@code toggled}, the halves and their ratio ({@code
 * cpu.off}, {@code cpu.on}, {@code cpu.on.off}, {@code cpu.on.off.no.jit}).
 *
 * <p>JMH's own {@code @AuxCounters} cannot carry a ratio: its event counters are summed over the
 * iterations. A profiler's {@link ScalarResult} with {@link AggregationPolicy#AVG} is averaged over
 * the iterations and forks, with JMH's error and the per-iteration values in {@code -rf json}. Use:
 * {@code -prof dev.weft.benchmarks.ChildCpuProfiler} (CpuPerRequest refuses to run without it).
 */
public final class ChildCpuProfiler implements InternalProfiler {
  /** Set once JMH has created this profiler in the benchmark's JVM. */
  static volatile boolean active;

  /** One measured window, left by the benchmark for {@link #afterIteration}. */
  record Window(long requests, long cpuNanos, long wallNanos, long noJitNanos, Window off) {
    double perRequest() {
      return cpuNanos / 1000.0 / requests;
    }

    /** The same without the JIT compiler threads' CPU ({@link ThreadCpu#JIT}); NaN: unknown. */
    double noJitPerRequest() {
      return noJitNanos < 0 ? Double.NaN : noJitNanos / 1000.0 / requests;
    }

    /** This window (Weft on) with the half of the same window in which Weft was off. */
    Window pairedWith(Window off) {
      return new Window(requests, cpuNanos, wallNanos, noJitNanos, off);
    }
  }

  static volatile Window last;

  public ChildCpuProfiler() {
    active = true;
  }

  @Override
  public String getDescription() {
    return "CPU time of CpuPerRequest's child process per request answered";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    last = null;
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    Window w = last;
    last = null;
    if (w == null || w.requests() == 0) {
      return List.of();
    }
    List<Result> out = new ArrayList<>();
    out.add(
        new ScalarResult("cpu.per.request", w.perRequest(), "us/request", AggregationPolicy.AVG));
    out.add(new ScalarResult("requests", w.requests(), "requests", AggregationPolicy.AVG));
    out.add(
        new ScalarResult(
            "rate", w.requests() * 1e9 / w.wallNanos(), "requests/s", AggregationPolicy.AVG));
    if (!Double.isNaN(w.noJitPerRequest())) {
      out.add(
          new ScalarResult(
              "cpu.per.request.no.jit", w.noJitPerRequest(), "us/request", AggregationPolicy.AVG));
    }
    Window off = w.off();
    if (off != null && off.requests() > 0) {
      out.add(new ScalarResult("cpu.off", off.perRequest(), "us/request", AggregationPolicy.AVG));
      out.add(new ScalarResult("cpu.on", w.perRequest(), "us/request", AggregationPolicy.AVG));
      out.add(
          new ScalarResult(
              "cpu.on.off", w.perRequest() / off.perRequest(), "ratio", AggregationPolicy.AVG));
      if (!Double.isNaN(w.noJitPerRequest()) && !Double.isNaN(off.noJitPerRequest())) {
        out.add(
            new ScalarResult(
                "cpu.on.off.no.jit",
                w.noJitPerRequest() / off.noJitPerRequest(),
                "ratio",
                AggregationPolicy.AVG));
      }
    }
    return out;
  }
}
