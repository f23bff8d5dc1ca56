package dev.weft.instrumentation.async;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.TraceSnapshot;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.ThreadContext;
import dev.weft.spi.TraceCategory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The plain-Java side of {@code AsyncAspect}: wraps a task handed to another thread so that it runs
 * in the trace that was active when it was submitted, and leaves the worker thread as it found it.
 * Outside a trace the task is returned unchanged (one thread-local read). With {@code
 * weft.async.spans=true} the task's run is also recorded as an {@code async} span.
 */
final class AsyncTracing {
  private AsyncTracing() {}

  private static TraceSnapshot snapshot() {
    return ThreadContext.active(TraceCategory.ASYNC) == null ? null : Trace.capture();
  }

  /** The task's own span, or null (try-with-resources skips a null resource). */
  private static Span span() {
    return Switches.asyncSpans ? Trace.span("async", "async") : null;
  }

  static Runnable wrap(Runnable r) {
    TraceSnapshot snap = r == null ? null : snapshot();
    if (snap == null || r instanceof Wrapped) {
      return r;
    }
    return new WrappedRunnable(snap, r);
  }

  static <T> Callable<T> wrap(Callable<T> c) {
    TraceSnapshot snap = c == null ? null : snapshot();
    if (snap == null || c instanceof Wrapped) {
      return c;
    }
    return new WrappedCallable<>(snap, c);
  }

  static <T> Supplier<T> wrap(Supplier<T> s) {
    TraceSnapshot snap = s == null ? null : snapshot();
    if (snap == null) {
      return s;
    }
    return () -> {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        return s.get();
      }
    };
  }

  static <T, R> Function<T, R> wrap(Function<T, R> f) {
    TraceSnapshot snap = f == null ? null : snapshot();
    if (snap == null) {
      return f;
    }
    return x -> {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        return f.apply(x);
      }
    };
  }

  static <T> Consumer<T> wrap(Consumer<T> c) {
    TraceSnapshot snap = c == null ? null : snapshot();
    if (snap == null) {
      return c;
    }
    return x -> {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        c.accept(x);
      }
    };
  }

  static <T, U, R> BiFunction<T, U, R> wrap(BiFunction<T, U, R> f) {
    TraceSnapshot snap = f == null ? null : snapshot();
    if (snap == null) {
      return f;
    }
    return (x, y) -> {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        return f.apply(x, y);
      }
    };
  }

  static <T, U> BiConsumer<T, U> wrap(BiConsumer<T, U> c) {
    TraceSnapshot snap = c == null ? null : snapshot();
    if (snap == null) {
      return c;
    }
    return (x, y) -> {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        c.accept(x, y);
      }
    };
  }

  /** Wraps every task of an invokeAll/invokeAny collection. */
  static <T> Collection<? extends Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
    if (tasks == null || ThreadContext.active(TraceCategory.ASYNC) == null) {
      return tasks;
    }
    List<Callable<T>> out = new ArrayList<>(tasks.size());
    for (Callable<T> c : tasks) {
      out.add(wrap(c));
    }
    return out;
  }

  /** Marks a task already wrapped, so nested submissions do not wrap twice. */
  interface Wrapped {}

  private static final class WrappedRunnable implements Runnable, Wrapped {
    private final TraceSnapshot snap;
    private final Runnable task;

    WrappedRunnable(TraceSnapshot snap, Runnable task) {
      this.snap = snap;
      this.task = task;
    }

    @Override
    public void run() {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        task.run();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  private static final class WrappedCallable<T> implements Callable<T>, Wrapped {
    private final TraceSnapshot snap;
    private final Callable<T> task;

    WrappedCallable(TraceSnapshot snap, Callable<T> task) {
      this.snap = snap;
      this.task = task;
    }

    @Override
    public T call() throws Exception {
      try (TraceScope t = snap.restore();
          Span sp = span()) {
        return task.call();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }
}
