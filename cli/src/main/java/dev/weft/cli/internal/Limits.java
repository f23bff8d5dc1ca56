package dev.weft.cli.internal;

/**
 * How much of one trace {@code weft trace show} reads and how deep it nests spans.
 *
 * @param maxDepth levels of nesting shown; a top-level span is level 1. The descendants of a span
 *     at level {@code maxDepth - 1} are all shown at level {@code maxDepth}, in tree order.
 * @param maxSpans spans (trace_ids) read, the first ones stored
 * @param maxBytes bytes of stored event text (UTF-8) read, oldest events first
 */
public record Limits(int maxDepth, int maxSpans, long maxBytes) {
  public static final int DEFAULT_MAX_DEPTH = 256;
  public static final int DEFAULT_MAX_SPANS = 100_000;
  public static final long DEFAULT_MAX_BYTES = 128L << 20;

  public static final Limits DEFAULT =
      new Limits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_SPANS, DEFAULT_MAX_BYTES);

  public Limits {
    if (maxDepth < 1 || maxSpans < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("limits must be at least 1");
    }
  }
}
