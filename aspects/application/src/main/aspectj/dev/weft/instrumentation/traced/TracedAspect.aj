package dev.weft.instrumentation.traced;

import dev.weft.annotations.NotTraced;
import dev.weft.annotations.Traced;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.Spans;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * {@code @Traced} methods and types (category {@code annotated}, or the one the annotation names).
 * The pointcut ends in {@code if(Switches.enabled)}: switched off, a join point is one volatile read
 * and a branch, and no JoinPoint object is built. Only the advice for methods that ask for their
 * arguments or result uses {@code thisJoinPoint}.
 */
public aspect TracedAspect {

  /** Methods annotated directly, and constructors. */
  pointcut annotatedMethod(): execution(@Traced * *(..)) || execution(@Traced new(..));

  /** Public instance methods of an annotated type, unless excluded or annotated themselves. */
  pointcut methodOfAnnotatedType():
      (execution(public !static * (@Traced *).*(..))
          || execution(* (@Traced(allowPrivate = true) *).*(..)))
      && !execution(@NotTraced * *(..))
      && !execution(@Traced * *(..));

  pointcut traced(): (annotatedMethod() || methodOfAnnotatedType()) && WeftPointcuts.notWithinWeft();

  /** Join points whose annotation asks for arguments or the result. */
  pointcut capturing():
      execution(@Traced(hideArgs = false) * *(..))
      || execution(@Traced(hideResult = false) * *(..))
      || execution(@Traced(hideArgs = false) new(..))
      || (methodOfAnnotatedType()
          && (within(@Traced(hideArgs = false) *) || within(@Traced(hideResult = false) *)));

  /**
   * The same join points as {@code traced() && !capturing()}, written as a disjunction of
   * conjunctions of simple (negated) pointcuts. Design note: ajc rewrites a pointcut into
   * disjunctive normal form and emits the {@code if()} test once per disjunct that matches a join
   * point statically; {@code !capturing()} negates a disjunction of conjunctions, which expands
   * into several disjuncts matching the same method, so the switched-off path read {@code
   * Switches.enabled} three times. Written this way, a method reads it once.
   */
  pointcut notCapturing():
      (execution(@Traced * *(..))
          && !execution(@Traced(hideArgs = false) * *(..))
          && !execution(@Traced(hideResult = false) * *(..)))
      || (execution(@Traced new(..)) && !execution(@Traced(hideArgs = false) new(..)))
      || (methodOfAnnotatedType()
          && !within(@Traced(hideArgs = false) *)
          && !within(@Traced(hideResult = false) *));

  /**
   * Methods whose primitive result gets advice of its own type: {@code Object around()} boxes the
   * result of every traced call (a {@code Long} is 16 bytes; the JIT removes the box only when it
   * inlines the whole advice, which it did not for a traced call). The other primitive types keep
   * the boxing advice.
   */
  pointcut unboxedResult(): execution(long *(..)) || execution(int *(..)) || execution(boolean *(..));

  pointcut plain(): notCapturing() && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(): plain() && !unboxedResult() && if(Switches.enabled) {
    SpanRecord s = AnnotatedTracing.start(thisJoinPointStaticPart);
    Throwable thrown = null;
    try {
      return proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  long around(): plain() && execution(long *(..)) && if(Switches.enabled) {
    SpanRecord s = AnnotatedTracing.start(thisJoinPointStaticPart);
    Throwable thrown = null;
    try {
      return proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  int around(): plain() && execution(int *(..)) && if(Switches.enabled) {
    SpanRecord s = AnnotatedTracing.start(thisJoinPointStaticPart);
    Throwable thrown = null;
    try {
      return proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  boolean around(): plain() && execution(boolean *(..)) && if(Switches.enabled) {
    SpanRecord s = AnnotatedTracing.start(thisJoinPointStaticPart);
    Throwable thrown = null;
    try {
      return proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(): traced() && capturing() && if(Switches.enabled) {
    SpanRecord s = AnnotatedTracing.start(thisJoinPointStaticPart, thisJoinPoint.getArgs());
    Object result = null;
    Throwable thrown = null;
    try {
      return result = proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      AnnotatedTracing.end(s, result, thrown);
    }
  }
}
