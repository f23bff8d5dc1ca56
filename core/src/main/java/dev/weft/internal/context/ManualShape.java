package dev.weft.internal.context;

import dev.weft.internal.pipeline.JsonWriter;
import java.util.Map;

/**
 * The info of spans made through the public {@code Trace.span} API: start info members in {@code
 * extra} (an insertion-ordered map of strings), stop info members in {@code a}... none by default.
 */
public final class ManualShape implements InfoShape {
  private final String category;

  public ManualShape(String category) {
    this.category = category;
  }

  @Override
  public void start(SpanRecord r, JsonWriter w) {
    if (r.extra instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) r.extra).entrySet()) {
        w.field(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
      }
    }
  }

  @Override
  public String category() {
    return category;
  }
}
