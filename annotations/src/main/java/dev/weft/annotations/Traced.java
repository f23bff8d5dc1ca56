package dev.weft.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records a span for each call of the annotated method, or of every public method of the annotated
 * type, while a trace is active.
 *
 * <p>The span's {@code info.function.name} is the fully qualified method name. Arguments and the
 * result are recorded only when {@link #hideArgs()} / {@link #hideResult()} are set to {@code
 * false}; they are then rendered with a bounded length. A thrown exception is recorded as {@code
 * etype}/{@code message} and rethrown unchanged.
 *
 * <pre>{@code
 * @Traced(name = "catalog_lookup", category = Category.POOLING)
 * public Pool select(String queue) { ... }
 *
 * @Traced // every public method of the type; span names "MessageController.post", ...
 * public class MessageController { ... }
 * }</pre>
 *
 * <p>Compile the annotated code with ajc and the {@code weft-aspects} aspect library. A
 * method-level annotation overrides the type-level one; {@link NotTraced} excludes a method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Traced {
  /** Span name; empty (the default) means {@code SimpleClassName.method}. */
  String name() default "";

  /** Category whose switch governs this span; default {@link Category#ANNOTATED}. */
  String category() default Category.ANNOTATED;

  /** When {@code true} (the default) the arguments are not recorded. */
  boolean hideArgs() default true;

  /** When {@code true} (the default) the return value is not recorded. */
  boolean hideResult() default true;

  /**
   * On a type: also trace its private and static methods. Default {@code false}: only public
   * instance methods of an annotated type are traced. Annotated methods are always traced.
   */
  boolean allowPrivate() default false;
}
