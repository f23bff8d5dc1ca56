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
import java.util.concurrent.ConcurrentHashMap;
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
  private static final ConcurrentHashMap<JoinPoint.StaticPart, Site> SITES =
      new ConcurrentHashMap<>();

  private AnnotatedTracing() {}

  /** What is known of one join point. */
  static final class Site {
    final String name;
    final String function;
    final int category;
    final boolean captureArgs;
    final boolean captureResult;

    Site(String name, String function, String category, boolean args, boolean result) {
      this.name = name;
      this.function = function;
      this.category = Switches.index(category);
      this.captureArgs = args;
      this.captureResult = result;
    }
  }

  static final InfoShape SHAPE =
      new InfoShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("function");
          w.field("name", r.a);
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
      };

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
    if (!c.on(s.category)) {
      return null;
    }
    SpanRecord r = c.push(s.name, SHAPE);
    if (r != null) {
      r.a = s.function;
    }
    return r;
  }

  /** Ends a span whose annotation may ask for the result; null-safe, never throws. */
  static void end(SpanRecord r, JoinPoint.StaticPart sp, Object result, Throwable thrown) {
    if (r == null) {
      return;
    }
    try {
      if (thrown == null && site(sp).captureResult) {
        r.c = Render.value(result);
      }
    } catch (Throwable e) {
      Spans.failed(e);
    }
    Spans.end(r, thrown);
  }

  static Site site(JoinPoint.StaticPart sp) {
    Site s = SITES.get(sp);
    if (s == null) {
      s = SITES.computeIfAbsent(sp, AnnotatedTracing::resolve);
    }
    return s;
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
    return new Site(name, type.getName() + "." + method, category, args, result);
  }
}
