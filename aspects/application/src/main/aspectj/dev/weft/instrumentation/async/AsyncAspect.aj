package dev.weft.instrumentation.async;

import dev.weft.internal.config.Switches;
import dev.weft.aspects.WeftPointcuts;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Async hand-off (category {@code async}): tasks submitted from woven code to executors and {@code
 * CompletableFuture} async stages carry the submitting thread's trace. {@code java.*} cannot be
 * woven, so these are {@code call()} join points in the application's code (compile-time weaving).
 */
public aspect AsyncAspect {

  pointcut woven(): WeftPointcuts.notWithinWeft() && if(Switches.async);

  // Executors ---------------------------------------------------------------------------------

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(Runnable r): call(void java.util.concurrent.Executor+.execute(Runnable)) && args(r) && woven() {
    proceed(AsyncTracing.wrap(r));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Runnable r):
      (call(* java.util.concurrent.ExecutorService+.submit(Runnable, ..))
          || call(* java.util.concurrent.ScheduledExecutorService+.schedule*(Runnable, ..)))
      && args(r, ..) && woven() {
    return proceed(AsyncTracing.wrap(r));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Callable c):
      (call(* java.util.concurrent.ExecutorService+.submit(Callable))
          || call(* java.util.concurrent.ScheduledExecutorService+.schedule(Callable, ..)))
      && args(c, ..) && woven() {
    return proceed(AsyncTracing.wrap(c));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Collection tasks):
      (call(* java.util.concurrent.ExecutorService+.invokeAll(Collection, ..))
          || call(* java.util.concurrent.ExecutorService+.invokeAny(Collection, ..)))
      && args(tasks, ..) && woven() {
    return proceed(AsyncTracing.wrapAll(tasks));
  }

  // CompletableFuture async stages: the task is the first or the second argument --------------
  // Matched on the declared parameter types, so a task is only ever replaced by a wrapper of the
  // same interface.

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Runnable r): call(* java.util.concurrent.CompletableFuture.*Async(Runnable, ..)) && args(r, ..) && woven() {
    return proceed(AsyncTracing.wrap(r));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Supplier s): call(* java.util.concurrent.CompletableFuture.*Async(Supplier, ..)) && args(s, ..) && woven() {
    return proceed(AsyncTracing.wrap(s));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Function f): call(* java.util.concurrent.CompletableFuture.*Async(Function, ..)) && args(f, ..) && woven() {
    return proceed(AsyncTracing.wrap(f));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Consumer c): call(* java.util.concurrent.CompletableFuture.*Async(Consumer, ..)) && args(c, ..) && woven() {
    return proceed(AsyncTracing.wrap(c));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(BiFunction f): call(* java.util.concurrent.CompletableFuture.*Async(BiFunction, ..)) && args(f, ..) && woven() {
    return proceed(AsyncTracing.wrap(f));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(BiConsumer c): call(* java.util.concurrent.CompletableFuture.*Async(BiConsumer, ..)) && args(c, ..) && woven() {
    return proceed(AsyncTracing.wrap(c));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CompletionStage other, Runnable r):
      call(* java.util.concurrent.CompletableFuture.*Async(CompletionStage, Runnable, ..)) && args(other, r, ..) && woven() {
    return proceed(other, AsyncTracing.wrap(r));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CompletionStage other, Function f):
      call(* java.util.concurrent.CompletableFuture.*Async(CompletionStage, Function, ..)) && args(other, f, ..) && woven() {
    return proceed(other, AsyncTracing.wrap(f));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CompletionStage other, Consumer c):
      call(* java.util.concurrent.CompletableFuture.*Async(CompletionStage, Consumer, ..)) && args(other, c, ..) && woven() {
    return proceed(other, AsyncTracing.wrap(c));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CompletionStage other, BiFunction f):
      call(* java.util.concurrent.CompletableFuture.*Async(CompletionStage, BiFunction, ..)) && args(other, f, ..) && woven() {
    return proceed(other, AsyncTracing.wrap(f));
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CompletionStage other, BiConsumer c):
      call(* java.util.concurrent.CompletableFuture.*Async(CompletionStage, BiConsumer, ..)) && args(other, c, ..) && woven() {
    return proceed(other, AsyncTracing.wrap(c));
  }
}
