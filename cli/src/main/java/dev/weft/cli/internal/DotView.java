package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;

/**
 * The {@code --dot} view: a Graphviz digraph with one node per span (name, service, duration; red
 * with the error type when the span failed) and an edge from each parent to each child. Every id
 * and label is a quoted, escaped DOT string. Render with {@code dot -Tsvg trace.dot > trace.svg}.
 */
public final class DotView {
  private DotView() {}

  public static String render(TraceModel trace) {
    StringBuilder b = new StringBuilder();
    b.append("digraph ").append(quote(trace.baseId)).append(" {\n");
    b.append("  label=")
        .append(quote("trace " + trace.baseId + " (" + TraceModel.ms(trace.totalUs) + ")"))
        .append(";\n");
    b.append("  labelloc=t;\n");
    b.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (SpanNode s : trace.spans) {
      String label =
          (s.name == null ? "None" : s.name)
              + "\n"
              + (s.service == null ? "-" : s.service)
              + "\n"
              + (s.finished ? TraceModel.ms(s.durationUs()) : "no stop event");
      b.append("  ").append(quote(s.traceId)).append(" [label=");
      if (s.isError()) {
        b.append(quote(label + "\n" + s.etype)).append(", color=red, fontcolor=red");
      } else {
        b.append(quote(label));
      }
      b.append("];\n");
    }
    for (SpanNode s : trace.spans) {
      for (SpanNode c : s.children) {
        b.append("  ").append(quote(s.traceId)).append(" -> ").append(quote(c.traceId));
        b.append(";\n");
      }
    }
    return b.append("}\n").toString();
  }

  /**
   * A DOT double-quoted string. {@code \n} in the input becomes DOT's centred line break; a
   * backslash and a quote are escaped; other control characters become spaces.
   */
  static String quote(String s) {
    if (s == null) {
      s = "None";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c < 0x20 || c == 0x7f ? ' ' : c);
      }
    }
    return b.append('"').toString();
  }
}
