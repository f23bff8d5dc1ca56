package dev.weft.internal.tracing;

import dev.weft.internal.context.InfoShape;

/**
 * The shape of spans whose error messages may quote recorded values (drivers quote statements with
 * their literals, MongoDB quotes duplicate keys): the message is scrubbed like a statement's
 * literals, on the collector thread.
 */
public abstract class ScrubbingShape implements InfoShape {
  @Override
  public final String message(String raw) {
    return SqlSanitizer.message(raw);
  }
}
