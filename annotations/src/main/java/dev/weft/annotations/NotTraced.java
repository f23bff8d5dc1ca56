package dev.weft.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Excludes a method (or constructor) of a {@link Traced} type from tracing.
 *
 * <pre>{@code
 * @Traced
 * class Store {
 *   public void put(String k) { ... }      // traced
 *   @NotTraced public int size() { ... }   // not traced
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface NotTraced {}
