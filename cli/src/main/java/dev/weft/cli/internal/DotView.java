package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;

/**
 * The {@code --dot} view: a Graphviz digraph with one node per span (its {@link Label}, service,
 * duration and self time; red with the error type when the span failed) and an edge from each
 * parent to each child. The spans on the critical path and the edges between them are bold, and the
 * graph's title gives the category shares of the self time and of the critical path ({@link
 * Analysis}). Every id and label is a quoted, escaped DOT string in which stored characters that
 * {@link Text} calls unsafe are shown as their escapes. Render with {@code dot -Tsvg trace.dot >
 * trace.svg}.
 */
public final class DotView {
  private DotView() {}

  public static String render(TraceModel trace) {
    Sink s = new Sink();
    render(trace, s);
    return s.toString();
  }

  public static void render(TraceModel trace, Sink b) {
    Analysis a = Analysis.of(trace);
    b.append("digraph ").append(quote(trace.baseId)).append(" {\n");
    b.append("  label=")
        .append(
            label(
                "trace "
                    + Text.visible(trace.baseId)
                    + " ("
                    + TraceModel.ms(trace.totalUs)
                    + ")\nself time "
                    + TraceModel.ms(a.selfUs())
                    + ": "
                    + a.shares(false)
                    + "\ncritical path "
                    + TraceModel.ms(a.criticalPathUs())
                    + " (bold): "
                    + a.shares(true)))
        .append(";\n");
    b.append("  labelloc=t;\n");
    b.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (SpanNode s : trace.spans) {
      String label =
          Text.visible(a.label(s))
              + "\n"
              + (s.service == null ? "-" : Text.visible(s.service))
              + "\n"
              + (s.finished ? TraceModel.ms(s.durationUs()) : "no stop event")
              + (s.finished && s.startEvent != null
                  ? " (self " + TraceModel.ms(a.selfUs(s)) + ")"
                  : "");
      b.append("  ").append(quote(s.traceId)).append(" [label=");
      if (s.isError()) {
        b.append(label(label + "\n" + Text.visible(s.etype))).append(", color=red, fontcolor=red");
      } else {
        b.append(label(label));
      }
      if (a.onCriticalPath(s)) {
        b.append(", style=\"rounded,bold\"");
      }
      b.append("];\n");
    }
    for (SpanNode s : trace.spans) {
      for (SpanNode c : s.children) {
        b.append("  ").append(quote(s.traceId)).append(" -> ").append(quote(c.traceId));
        if (a.onCriticalPath(s) && a.onCriticalPath(c)) {
          b.append(" [style=bold]");
        }
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
