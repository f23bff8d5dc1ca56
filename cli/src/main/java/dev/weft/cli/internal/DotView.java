package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;

/**
 * The {@code --dot} view: a Graphviz digraph with one node per span (name, service, duration; red
 * with the error type when the span failed) and an edge from each parent to each child. Every id
 * and label is a quoted, escaped DOT string in which stored characters that {@link Text} calls
 * unsafe are shown as their escapes. Render with {@code dot -Tsvg trace.dot > trace.svg}.
 */
public final class DotView {
  private DotView() {}

  public static String render(TraceModel trace) {
    Sink s = new Sink();
    render(trace, s);
    return s.toString();
  }

  public static void render(TraceModel trace, Sink b) {
    b.append("digraph ").append(quote(trace.baseId)).append(" {\n");
    b.append("  label=")
        .append(
            label(
                "trace " + Text.visible(trace.baseId) + " (" + TraceModel.ms(trace.totalUs) + ")"))
        .append(";\n");
    b.append("  labelloc=t;\n");
    b.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (SpanNode s : trace.spans) {
      String label =
          Text.visible(s.name)
              + "\n"
              + (s.service == null ? "-" : Text.visible(s.service))
              + "\n"
              + (s.finished ? TraceModel.ms(s.durationUs()) : "no stop event");
      b.append("  ").append(quote(s.traceId)).append(" [label=");
      if (s.isError()) {
        b.append(label(label + "\n" + Text.visible(s.etype))).append(", color=red, fontcolor=red");
      } else {
        b.append(label(label));
      }
      b.append("];\n");
    }
    for (SpanNode s : trace.spans) {
      for (SpanNode c : s.children) {
        b.append("  ").append(quote(s.traceId)).append(" -> ").append(quote(c.traceId));
        b.append(";\n");
      }
    }
    b.append("}\n");
  }

  /** A stored value (an id) as a DOT double-quoted string: see {@link #label}. */
  static String quote(String s) {
    return label(Text.visible(s));
  }

  /**
   * A DOT double-quoted string of text whose stored parts are already {@link Text#visible}: {@code
   * \n} becomes DOT's centred line break, a backslash and a quote are escaped (so an escape shows
   * as typed), and any other unsafe character is escaped as well.
   */
  static String label(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (Text.unsafe(c)) {
            b.append('\\');
            Text.escape(b, c);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
