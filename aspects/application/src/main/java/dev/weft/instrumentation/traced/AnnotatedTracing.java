package dev.weft.instrumentation.traced;

import dev.weft.annotations.Traced;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Render;
import dev.weft.internal.tracing.Spans;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.ConstructorSignature;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * The plain-Java side of {@code TracedAspect}: what an {@code @Traced} span records. Per join
 * point, the span name, function name and category are worked out once and cached.
 *
 * <p>Start info: {@code {"function": {"name": <fully qualified method>, "args": <rendered>}}} (args
 * only when {@code hideArgs=false}); stop info: {@code {"function": {"result": <rendered>}}} only
 * when {@code hideResult=false}.
 */
final class AnnotatedTracing {
  /**
   * The sites resolved so far, by identity hash of their join point (open addressing, at most half
   * full): read without a lock on every traced call, replaced by a larger or updated copy when a
   * new join point is first seen, which happens once per join point.
   */
  private static volatile Site[] table = new Site[64];

  private AnnotatedTracing() {}

  /**
   * What is known of one join point; also the span's {@link InfoShape}, so the function name is
   * written from here on the collector thread and nothing is copied into the span record for it.
   */
  static final class Site implements InfoShape {
    final JoinPoint.StaticPart sp;
    final String name;
    final String function;
    final int categoryIndex;
    final boolean captureArgs;
    final boolean captureResult;

    Site(
        JoinPoint.StaticPart sp,
        String name,
        String function,
        String category,
        boolean args,
        boolean result) {
      this.sp = sp;
      this.name = name;
      this.function = function;
      this.categoryIndex = Switches.index(category);
      this.captureArgs = args;
      this.captureResult = result;
    }

    @Override
    public void start(SpanRecord r, JsonWriter w) {
      w.beginObject("function");
      w.field("name", function);
      if (r.b != null) {
        w.field("args", r.b);
      }
      w.endObject();
    }

    @Override
    public void stop(SpanRecord r, JsonWriter w) {
      if (r.c != null) {
        w.beginObject("function");
        w.field("result", r.c);
        w.endObject();
      }
    }

    @Override
    public String category() {
      return "annotated";
    }
  }

  /** Opens the span for a join point, or returns null when it is not to be traced now. */
  static SpanRecord start(JoinPoint.StaticPart sp) {
    ThreadContext c = ThreadContext.active();
    if (c == null) {
      return null;
    }
    try {
      return open(c, site(sp));
    } catch (Throwable e) {
      Spans.failed(e);
      return null;
    }
  }

  /** As {@link #start}, recording the arguments when the annotation asks for them. */
  static SpanRecord start(JoinPoint.StaticPart sp, Object[] args) {
    ThreadContext c = ThreadContext.active();
    if (c == null) {
      return null;
    }
    try {
      Site s = site(sp);
      SpanRecord r = open(c, s);
      if (r != null && s.captureArgs) {
        r.b = Render.value(args);
      }
      return r;
    } catch (Throwable e) {
      Spans.failed(e);
      return null;
    }
  }

  private static SpanRecord open(ThreadContext c, Site s) {
    if (!c.on(s.categoryIndex)) {
      return null;
    }
    return c.push(s.name, s);
  }

  /** Ends a span whose annotation may ask for the result; null-safe, never throws. */
  static void end(SpanRecord r, Object result, Throwable thrown) {
    if (r == null) {
      return;
    }
    try {
      // The span's shape is its join point's site (see open).
      if (thrown == null && r.shape instanceof Site && ((Site) r.shape).captureResult) {
        r.c = Render.value(result);
      }
    } catch (Throwable e) {
      Spans.failed(e);
    }
    Spans.end(r, thrown);
  }

  static Site site(JoinPoint.StaticPart sp) {
    Site[] t = table;
    int m = t.length - 1;
    for (int i = System.identityHashCode(sp) & m; ; i = (i + 1) & m) {
      Site s = t[i];
      if (s == null) {
        return add(sp);
      }
      if (s.sp == sp) {
        return s;
      }
    }
  }

  /** Resolves a join point seen for the first time and publishes a table that holds it. */
  private static synchronized Site add(JoinPoint.StaticPart sp) {
    Site[] t = table;
    int size = 1;
    for (Site x : t) {
      if (x != null) {
        if (x.sp == sp) {
          return x; // added meanwhile
        }
        size++;
      }
    }
    Site s = resolve(sp);
    Site[] n = new Site[size * 2 > t.length ? t.length * 2 : t.length];
    for (Site x : t) {
      if (x != null) {
        put(n, x);
      }
    }
    put(n, s);
    table = n;
    return s;
  }

  private static void put(Site[] t, Site s) {
    int m = t.length - 1;
    int i = System.identityHashCode(s.sp) & m;
    while (t[i] != null) {
      i = (i + 1) & m;
    }
    t[i] = s;
  }

  private static Site resolve(JoinPoint.StaticPart sp) {
    Class<?> type = sp.getSignature().getDeclaringType();
    String method = sp.getSignature().getName();
    Executable ex = null;
    if (sp.getSignature() instanceof MethodSignature) {
      ex = ((MethodSignature) sp.getSignature()).getMethod();
    } else if (sp.getSignature() instanceof ConstructorSignature) {
      Constructor<?> k = ((ConstructorSignature) sp.getSignature()).getConstructor();
      ex = k;
      method = "__init__";
    }
    Traced t = ex == null ? null : ex.getAnnotation(Traced.class);
    if (t == null) {
      t = type.getAnnotation(Traced.class);
    }
    String simple = type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
    String name = t != null && !t.name().isEmpty() ? t.name() : simple + "." + method;
    String category = t == null ? "annotated" : t.category();
    boolean args = t != null && !t.hideArgs();
    boolean result =
        t != null
            && !t.hideResult()
            && !(ex instanceof Method && ((Method) ex).getReturnType() == void.class);
    return new Site(sp, name, type.getName() + "." + method, category, args, result);
  }
}
