package dev.weft.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft trace stats} as a terminal table or as an HTML page. Totals are exact; percentiles
 * are shown to three significant digits ({@code 16.6 ms}), as precise as the histogram that gives
 * them. The page has the same Content-Security-Policy as the trace page, without any script ({@code
 * default-src 'none'; style-src 'unsafe-inline'}); its chart is inline SVG made here, so it reaches
 * nothing on the network. Labels are stored text, escaped as every view escapes it.
 */
final class StatsView {
  private StatsView() {}

  private static final String[] HEAD = {
    "LABEL", "COUNT", "TOTAL", "SELF", "P50", "P95", "P99", "ERRORS"
  };

  private static final String[] SLOW_HEAD = {
    "BASE_ID", "FIRST EVENT", "DURATION", "SPANS", "ERRORS", "ROOT"
  };

  /** The first lines: what was counted, and the shares of the self time. */
  static List<String> summary(Stats st, String source) {
    List<String> l = new ArrayList<>();
    l.add(
        "Stats over "
            + st.traces()
            + (st.traces() == 1 ? " trace, " : " traces, ")
            + st.spans()
            + (st.spans() == 1 ? " span" : " spans")
            + " in "
            + Text.visible(source)
            + (st.from() == null
                ? ""
                : ", first events " + Text.visible(st.from()) + " to " + Text.visible(st.to())));
    if (st.unreadableTraces() > 0) {
      l.add(
          st.unreadableTraces()
              + (st.unreadableTraces() == 1 ? " trace" : " traces")
              + " could not be read");
    }
    l.add("Self time: " + st.shares());
    return l;
  }

  static void text(Stats st, String source, Sink out) {
    for (String l : summary(st, source)) {
      out.append(l).append('\n');
    }
    out.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (Stats.Row r : st.rows()) {
      rows.add(
          new String[] {
            Text.visible(r.label),
            Long.toString(r.count),
            TraceModel.ms(r.totalUs),
            TraceModel.ms(r.selfUs),
            HtmlView.tick(r.percentileUs(50)),
            HtmlView.tick(r.percentileUs(95)),
            HtmlView.tick(r.percentileUs(99)),
            r.errors == 0 ? "0" : r.errors + " (" + Stats.errorRate(r) + ")"
          });
    }
    table(rows, 1, out);
    List<Stats.Slow> slow = st.slowest();
    if (!slow.isEmpty()) {
      out.append("\nSlowest traces\n\n");
      List<String[]> s = new ArrayList<>();
      s.add(SLOW_HEAD);
      for (Stats.Slow t : slow) {
        s.add(
            new String[] {
              Text.visible(t.baseId()),
              t.timestamp() == null ? "-" : Text.visible(t.timestamp()),
              TraceModel.ms(t.totalUs()),
              Integer.toString(t.spans()),
              Integer.toString(t.errors()),
              Text.visible(t.root())
            });
      }
      table(s, 2, out);
    }
  }

  /** Columns padded to their widest cell; the first {@code left} and the last are left-aligned. */
  private static void table(List<String[]> rows, int left, Sink out) {
    int n = rows.get(0).length;
    int[] w = new int[n];
    for (String[] r : rows) {
      for (int i = 0; i < n; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.setLength(0);
      for (int i = 0; i < n; i++) {
        boolean l = i < left || (i == n - 1 && left > 1);
        String pad = " ".repeat(w[i] - r[i].length());
        if (i > 0) {
          b.append("  ");
        }
        b.append(l ? r[i] + pad : pad + r[i]);
      }
      int end = b.length();
      while (end > 0 && b.charAt(end - 1) == ' ') {
        end--;
      }
      out.append(b, 0, end).append('\n');
    }
  }

  private static final String CSS =
      """
      :root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#ffffff;--row:#f6f8fa;--err:#cf222e}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,\
      sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:16px 20px 10px;border-bottom:1px solid var(--line)}
      h1{font-size:18px;margin:0 0 6px;font-weight:600}
      h2{font-size:15px;margin:18px 0 8px;font-weight:600}
      p{margin:4px 0;color:var(--muted)}
      main{padding:0 20px 24px}
      table{border-collapse:collapse;font-size:13px;margin-top:6px}
      th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
      th{color:var(--muted);font-weight:600}
      th:first-child,td:first-child{text-align:left;font-family:ui-monospace,SFMono-Regular,Menlo,\
      Consolas,monospace}
      th.l,td.l{text-align:left}
      td.bad{color:var(--err)}
      svg text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:var(--fg)}
      svg text.v{fill:var(--muted)}
      .f0{fill:#0969da}.f1{fill:#8250df}.f2{fill:#1a7f37}.f3{fill:#bf8700}.f4{fill:#0a7d8c}
      .f6{fill:#953800}.f7{fill:#6e7781}
      .p95{stroke:var(--fg);stroke-width:2}
      footer{padding:0 20px 20px;color:var(--muted);font-size:12px}
      """;

  /** Bars in the chart: the labels with the most self time. */
  static final int CHART_ROWS = 20;

  static void html(Stats st, String source, Sink b) {
    html(st, source, b, null, null);
  }

  /**
   * The page with {@code nav} first in the body (null for none) and, when {@code traceHref} is not
   * null, each slowest trace's base_id a link to {@code traceHref.apply(baseId)} (an escaped URL).
   */
  static void html(
      Stats st,
      String source,
      Sink b,
      String nav,
      java.util.function.Function<String, String> traceHref) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src 'unsafe-inline'\">\n");
    b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    b.append("<title>Weft trace stats</title>\n");
    b.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    if (nav != null) {
      b.append(nav);
    }
    b.append("<header>\n");
    b.append("<h1>Trace stats</h1>\n");
    for (String l : summary(st, source)) {
      b.append("<p>").append(HtmlView.esc(l)).append("</p>\n");
    }
    b.append("</header>\n<main>\n<h2>Self time by label</h2>\n");
    chart(st.rows(), b);
    b.append("<h2>Labels</h2>\n<table class=\"labels\">\n<tr>");
    for (String h : HEAD) {
      b.append("<th>")
          .append(h.charAt(0))
          .append(h.substring(1).toLowerCase(java.util.Locale.ROOT))
          .append("</th>");
    }
    b.append("</tr>\n");
    for (Stats.Row r : st.rows()) {
      b.append("<tr><td>").append(HtmlView.esc(r.label)).append("</td>");
      cell(b, Long.toString(r.count));
      cell(b, TraceModel.ms(r.totalUs));
      cell(b, TraceModel.ms(r.selfUs));
      cell(b, HtmlView.tick(r.percentileUs(50)));
      cell(b, HtmlView.tick(r.percentileUs(95)));
      cell(b, HtmlView.tick(r.percentileUs(99)));
      b.append(r.errors > 0 ? "<td class=\"bad\">" : "<td>")
          .append(r.errors == 0 ? "0" : r.errors + " (" + Stats.errorRate(r) + ")")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    List<Stats.Slow> slow = st.slowest();
    if (!slow.isEmpty()) {
      b.append("<h2>Slowest traces</h2>\n<table class=\"slowest\">\n<tr><th>base_id</th>")
          .append("<th>First event</th><th>Duration</th><th>Spans</th><th>Errors</th>")
          .append("<th class=\"l\">Root</th></tr>\n");
      for (Stats.Slow t : slow) {
        b.append("<tr><td>");
        if (traceHref != null) {
          b.append("<a href=\"")
              .append(HtmlView.esc(traceHref.apply(t.baseId())))
              .append("\">")
              .append(HtmlView.esc(t.baseId()))
              .append("</a></td>");
        } else {
          b.append(HtmlView.esc(t.baseId())).append("</td>");
        }
        cell(b, t.timestamp() == null ? "-" : t.timestamp());
        cell(b, TraceModel.ms(t.totalUs()));
        cell(b, Integer.toString(t.spans()));
        cell(b, Integer.toString(t.errors()));
        b.append("<td class=\"l\">").append(HtmlView.esc(t.root())).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("</main>\n<footer>Weft \u00b7 percentiles within 1 % (HdrHistogram, ")
        .append(Stats.DIGITS)
        .append(" significant digits)</footer>\n</body>\n</html>\n");
  }

  /** At most {@code n} characters, cut with an ellipsis (never inside a surrogate pair). */
  static String shorten(String s, int n) {
    if (s.length() <= n) {
      return s;
    }
    int cut = n - 1;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "\u2026";
  }

  private static void cell(Sink b, String v) {
    b.append("<td>").append(HtmlView.esc(v)).append("</td>");
  }

  /**
   * A horizontal bar per label (the {@value #CHART_ROWS} with the most self time): the bar is the
   * label's total self time, coloured by category, with a tick at its p95 duration on the same
   * scale.
   */
  static void chart(List<Stats.Row> rows, Sink b) {
    List<Stats.Row> top = rows.subList(0, Math.min(CHART_ROWS, rows.size()));
    long max = 1;
    for (Stats.Row r : top) {
      max = Math.max(max, Math.max(r.selfUs, r.percentileUs(95)));
    }
    int labelW = 380;
    int barW = 440;
    int rowH = 22;
    int height = Math.max(rowH, top.size() * rowH) + 4;
    b.append("<svg class=\"chart\" role=\"img\" aria-label=\"self time by label\" width=\"")
        .append(labelW + barW + 130)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(labelW + barW + 130)
        .append(' ')
        .append(height)
        .append("\">\n");
    int y = 2;
    for (Stats.Row r : top) {
      long w = Math.round((double) barW * r.selfUs / max);
      long p95 = Math.round((double) barW * r.percentileUs(95) / max);
      b.append("<g class=\"bar\"><text x=\"0\" y=\"")
          .append(y + 15)
          .append("\">")
          .append(HtmlView.esc(shorten(r.label, 48)))
          .append("</text><rect class=\"f")
          .append(HtmlView.categoryColour(r.category))
          .append("\" x=\"")
          .append(labelW)
          .append("\" y=\"")
          .append(y + 3)
          .append("\" width=\"")
          .append(Math.max(1, w))
          .append("\" height=\"")
          .append(rowH - 6)
          .append("\"></rect><line class=\"p95\" x1=\"")
          .append(labelW + p95)
          .append("\" x2=\"")
          .append(labelW + p95)
          .append("\" y1=\"")
          .append(y + 1)
          .append("\" y2=\"")
          .append(y + rowH - 1)
          .append("\"></line><text class=\"v\" x=\"")
          .append(labelW + barW + 8)
          .append("\" y=\"")
          .append(y + 15)
          .append("\">")
          .append(HtmlView.esc(TraceModel.ms(r.selfUs)))
          .append("</text></g>\n");
      y += rowH;
    }
    b.append("</svg>\n<p>Bars: total self time per label; tick: the label's p95 duration, on the")
        .append(" same scale.</p>\n");
  }
}
