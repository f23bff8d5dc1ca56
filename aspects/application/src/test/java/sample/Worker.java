package sample;

import dev.weft.annotations.Traced;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Woven application code that hands work to other threads. */
public class Worker {
  private final ExecutorService pool;
  private final ScheduledExecutorService scheduler;

  public Worker(ExecutorService pool, ScheduledExecutorService scheduler) {
    this.pool = pool;
    this.scheduler = scheduler;
  }

  @Traced(name = "job")
  public String job(String what) {
    return "done-" + what;
  }

  public void execute(Runnable after) {
    pool.execute(
        () -> {
          job("execute");
          after.run();
        });
  }

  public Future<String> submitCallable() {
    return pool.submit(() -> job("submit"));
  }

  public Future<?> submitRunnable() {
    return pool.submit(
        (Runnable)
            () -> {
              job("submit-runnable");
            });
  }

  public List<Future<String>> invokeAll() throws InterruptedException {
    Callable<String> a = () -> job("all-1");
    Callable<String> b = () -> job("all-2");
    return pool.invokeAll(List.of(a, b));
  }

  public String scheduled() throws Exception {
    return scheduler.schedule(() -> job("scheduled"), 1, TimeUnit.MILLISECONDS).get();
  }

  public String completable() {
    return CompletableFuture.supplyAsync(() -> job("supply"), pool)
        .thenApplyAsync(s -> s + "+" + job("apply"), pool)
        .thenCombineAsync(
            CompletableFuture.completedFuture("x"), (s, x) -> s + job("combine"), pool)
        .join();
  }

  /** A task submitted outside any trace. */
  public Future<Boolean> probeUntraced() {
    return pool.submit(() -> dev.weft.Trace.active());
  }
}
