package dev.weft.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Bytes allocated per operation by the benchmark's own threads only ({@code worker.alloc.norm}).
 *
 * <p>JMH's {@code -prof gc} ({@code gc.alloc.rate.norm}) counts what every thread of the JVM
 * allocated: for a traced benchmark that includes what the collector thread allocates while it
 * builds the events' JSON, and for the OpenTelemetry peer what its export thread allocates. The
 * hot-path budget of DESIGN.md §7 is about the application thread, so this profiler reports that
 * part on its own. Use: {@code -prof dev.weft.benchmarks.WorkerAllocProfiler}.
 */
public final class WorkerAllocProfiler implements InternalProfiler {
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private Map<Long, Long> before = new HashMap<>();

  @Override
  public String getDescription() {
    return "bytes allocated per op by the JMH worker threads only";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    before = snapshot();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    Map<Long, Long> after = snapshot();
    long bytes = 0;
    boolean known = !after.isEmpty();
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      Long b = before.get(e.getKey());
      if (b == null) {
        known = false; // a worker created during this iteration: no baseline
      } else {
        bytes += e.getValue() - b;
      }
    }
    long ops = result.getMetadata().getAllOps();
    if (!known || ops == 0) {
      return List.of();
    }
    return List.of(
        new ScalarResult("worker.alloc.norm", (double) bytes / ops, "B/op", AggregationPolicy.AVG));
  }

  private Map<Long, Long> snapshot() {
    Map<Long, Long> m = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains("-jmh-worker-")) {
        long b = threads.getThreadAllocatedBytes(t.getId());
        if (b >= 0) {
          m.put(t.getId(), b);
        }
      }
    }
    return m;
  }
}
