package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --tree} view: one line per span, drawn as a tree with box-drawing characters, with
 * aligned columns for service, host, start offset and duration, and the error type and message of a
 * failed span. Control characters in stored values are replaced so that a trace cannot drive the
 * terminal.
 */
public final class TreeView {
  private TreeView() {}

  public static String render(TraceModel trace) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SPAN", "SERVICE", "HOST", "START", "DURATION", ""});
    for (SpanNode root : trace.roots) {
      rows(root, "", "", rows);
    }
    int cols = 5;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(header(trace)).append("\n\n");
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      pad(line, r[0], width[0], false).append("  ");
      pad(line, r[1], width[1], false).append("  ");
      pad(line, r[2], width[2], false).append("  ");
      pad(line, r[3], width[3], true).append("  ");
      pad(line, r[4], width[4], true);
      if (!r[5].isEmpty()) {
        line.append("  ").append(r[5]);
      }
      int end = line.length();
      while (end > 0 && line.charAt(end - 1) == ' ') {
        end--;
      }
      b.append(line, 0, end).append('\n');
    }
    return b.toString();
  }

  static String header(TraceModel trace) {
    int errors = 0;
    for (SpanNode s : trace.spans) {
      if (s.isError()) {
        errors++;
      }
    }
    StringBuilder b = new StringBuilder("Trace ").append(clean(trace.baseId)).append(": ");
    b.append(trace.spans.size()).append(trace.spans.size() == 1 ? " span, " : " spans, ");
    if (errors > 0) {
      b.append(errors).append(errors == 1 ? " error, " : " errors, ");
    }
    return b.append(TraceModel.ms(trace.totalUs)).append(" total").toString();
  }

  private static void rows(SpanNode s, String lead, String childLead, List<String[]> rows) {
    String note = "";
    if (s.isError()) {
      note = "ERROR " + clean(s.etype) + (s.message == null ? "" : ": " + clean(s.message));
    } else if (!s.finished) {
      note = "(no stop event)";
    }
    rows.add(
        new String[] {
          lead + clean(s.name),
          orDash(s.service),
          orDash(s.host),
          "+" + TraceModel.ms(s.startUs),
          s.finished ? TraceModel.ms(s.durationUs()) : "-",
          note
        });
    for (int i = 0; i < s.children.size(); i++) {
      boolean last = i == s.children.size() - 1;
      rows(
          s.children.get(i),
          childLead + (last ? "└─ " : "├─ "),
          childLead + (last ? "   " : "│  "),
          rows);
    }
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : clean(s);
  }

  private static StringBuilder pad(StringBuilder b, String s, int width, boolean right) {
    if (right) {
      b.append(" ".repeat(width - s.length())).append(s);
    } else {
      b.append(s).append(" ".repeat(width - s.length()));
    }
    return b;
  }

  /** Line breaks and tabs become spaces; other control characters become {@code ?}. */
  static String clean(String s) {
    if (s == null) {
      return "None";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        b.append(' ');
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
