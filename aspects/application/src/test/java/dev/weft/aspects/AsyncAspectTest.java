package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sample.Worker;

class AsyncAspectTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ExecutorService pool;
  static ScheduledExecutorService scheduler;
  static Worker worker;

  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "test-host");
    // One thread each, so every task runs on a thread that earlier tasks used.
    pool = Executors.newFixedThreadPool(1);
    scheduler = Executors.newScheduledThreadPool(1);
    worker = new Worker(pool, scheduler);
  }

  @AfterAll
  static void reset() {
    pool.shutdownNow();
    scheduler.shutdownNow();
    Weft.resetRuntimeChanges();
  }

  @BeforeEach
  void clear() {
    Weft.flush();
    MemoryCollector.clear();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> startEvents(String baseId) throws Exception {
    Weft.flush();
    Map<String, Map<String, Object>> byArg = new TreeMap<>();
    for (Event e : MemoryCollector.events()) {
      Map<String, Object> m = JSON.readValue(e.json(), Map.class);
      if (e.name().endsWith("-start")) {
        assertThat(m.get("base_id")).isEqualTo(baseId);
        byArg.put(e.name() + "#" + m.get("trace_id"), m);
      }
    }
    return byArg;
  }

  @Test
  void everyHandOffStaysInTheSubmittingSpan() throws Exception {
    String parent;
    try (TraceScope t = Trace.begin("async-base", null, "k");
        Span s = Trace.span("submitter")) {
      parent = s.id();
      CountDownLatch done = new CountDownLatch(1);
      worker.execute(done::countDown);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.submitCallable().get()).isEqualTo("done-submit");
      worker.submitRunnable().get();
      for (Future<String> f : worker.invokeAll()) {
        f.get();
      }
      assertThat(worker.scheduled()).isEqualTo("done-scheduled");
      assertThat(worker.completable()).isEqualTo("done-supply+done-applydone-combine");
    }
    Map<String, Map<String, Object>> starts = startEvents("async-base");
    List<Object> jobParents = new ArrayList<>();
    int jobs = 0;
    for (Map.Entry<String, Map<String, Object>> e : starts.entrySet()) {
      if (e.getKey().startsWith("job-start")) {
        jobs++;
        jobParents.add(e.getValue().get("parent_id"));
      }
    }
    // execute, submit x2, invokeAll x2, schedule, supply, apply, combine
    assertThat(jobs).isEqualTo(9);
    assertThat(jobParents).containsOnly(parent);
  }

  @Test
  void pooledThreadsCarryNoTraceAfterwards() throws Exception {
    try (TraceScope t = Trace.begin("leak-base", null, null)) {
      worker.submitCallable().get();
    }
    // Same single pool thread, submitted outside the trace: it must not see the old trace.
    assertThat(worker.probeUntraced().get()).isFalse();
    worker.submitCallable().get();
    Weft.flush();
    assertThat(MemoryCollector.events()).extracting(Event::baseId).containsOnly("leak-base");
  }

  @Test
  void asyncSpansWhenConfigured() throws Exception {
    Weft.set("weft.async.spans", "true");
    try {
      try (TraceScope t = Trace.begin("spans-base", "root-parent", null)) {
        worker.submitCallable().get();
      }
      Map<String, Map<String, Object>> starts = startEvents("spans-base");
      assertThat(starts.keySet()).hasSize(2);
      Map<String, Object> async = null;
      Map<String, Object> job = null;
      for (Map.Entry<String, Map<String, Object>> e : starts.entrySet()) {
        if (e.getKey().startsWith("async-start")) {
          async = e.getValue();
        } else {
          job = e.getValue();
        }
      }
      assertThat(async.get("parent_id")).isEqualTo("root-parent");
      assertThat(job.get("parent_id")).isEqualTo(async.get("trace_id"));
    } finally {
      Weft.set("weft.async.spans", "");
    }
  }
}
