package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The {@code --tree} view: one line per span, drawn as a tree with box-drawing characters, with
 * aligned columns for service, host, start offset, duration and self time, and the error type and
 * message of a failed span. Each span is shown by its {@link Label}; a {@code *} in the first
 * column marks the spans on the critical path. The header gives the category shares of the trace's
 * self time and of its critical path ({@link Analysis}). Characters in stored values that could
 * drive the terminal, break a line or reorder text are shown as escapes ({@link Text}).
 *
 * <p>The tree is walked with an explicit stack, in two passes (column widths, then lines), so that
 * no line is kept longer than it is being written.
 */
public final class TreeView {
  private TreeView() {}

  private static final String[] HEAD = {
    "  SPAN", "SERVICE", "HOST", "START", "DURATION", "SELF", ""
  };

  private static final int COLUMNS = 6;

  public static String render(TraceModel trace) {
    Sink s = new Sink();
    render(trace, s);
    return s.toString();
  }

  public static void render(TraceModel trace, Sink out) {
    Analysis a = Analysis.of(trace);
    int[] width = new int[COLUMNS];
    for (int i = 0; i < COLUMNS; i++) {
      width[i] = HEAD[i].length();
    }
    for (SpanNode s : trace.spans) {
      String[] r = row(s, "", a);
      width[0] = Math.max(width[0], 3 * s.depth + r[0].length());
      for (int i = 1; i < COLUMNS; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    out.append(header(trace)).append('\n');
    for (String l : shareLines(a)) {
      out.append(l).append('\n');
    }
    out.append('\n');
    StringBuilder line = new StringBuilder();
    line(line, HEAD, width, out);
    // Each entry: a span and whether it is the last of its siblings.
    Deque<SpanNode> nodes = new ArrayDeque<>();
    Deque<Boolean> lastOnes = new ArrayDeque<>();
    for (int i = trace.roots.size() - 1; i >= 0; i--) {
      nodes.push(trace.roots.get(i));
      lastOnes.push(i == trace.roots.size() - 1);
    }
    boolean[] lastAt = new boolean[16];
    StringBuilder lead = new StringBuilder();
    while (!nodes.isEmpty()) {
      SpanNode s = nodes.pop();
      boolean last = lastOnes.pop();
      int d = s.depth;
      if (d >= lastAt.length) {
        lastAt = Arrays.copyOf(lastAt, Math.max(d + 1, lastAt.length * 2));
      }
      lastAt[d] = last;
      lead.setLength(0);
      for (int k = 1; k < d; k++) {
        lead.append(lastAt[k] ? "   " : "│  ");
      }
      if (d > 0) {
        lead.append(last ? "└─ " : "├─ ");
      }
      line(line, row(s, lead.toString(), a), width, out);
      for (int i = s.children.size() - 1; i >= 0; i--) {
        nodes.push(s.children.get(i));
        lastOnes.push(i == s.children.size() - 1);
      }
    }
  }

  private static void line(StringBuilder line, String[] r, int[] width, Sink out) {
    line.setLength(0);
    pad(line, r[0], width[0], false).append("  ");
    pad(line, r[1], width[1], false).append("  ");
    pad(line, r[2], width[2], false).append("  ");
    pad(line, r[3], width[3], true).append("  ");
    pad(line, r[4], width[4], true).append("  ");
    pad(line, r[5], width[5], true);
    if (!r[6].isEmpty()) {
      line.append("  ").append(r[6]);
    }
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    out.append(line, 0, end).append('\n');
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

  /**
   * The two share lines of the header: {@code Self time 60.1 ms: SQL 41 % · ...} and {@code
   * Critical path 52.31 ms (spans marked *): ...}.
   */
  public static List<String> shareLines(Analysis a) {
    return List.of(
        "Self time " + TraceModel.ms(a.selfUs()) + ": " + a.shares(false),
        "Critical path "
            + TraceModel.ms(a.criticalPathUs())
            + " (spans marked *): "
            + a.shares(true));
  }

  private static String[] row(SpanNode s, String lead, Analysis a) {
    String note = "";
    if (s.isError()) {
      note = "ERROR " + clean(s.etype) + (s.message == null ? "" : ": " + clean(s.message));
    } else if (!s.finished) {
      note = "(no stop event)";
    }
    boolean timed = s.finished && s.startEvent != null;
    return new String[] {
      (a.onCriticalPath(s) ? "* " : "  ") + lead + clean(a.label(s)),
      orDash(s.service),
      orDash(s.host),
      "+" + TraceModel.ms(s.startUs),
      s.finished ? TraceModel.ms(s.durationUs()) : "-",
      timed ? TraceModel.ms(a.selfUs(s)) : "-",
      note
    };
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

  /** A stored value for one line of a terminal: see {@link Text#visible}. */
  static String clean(String s) {
    return Text.visible(s);
  }
}
