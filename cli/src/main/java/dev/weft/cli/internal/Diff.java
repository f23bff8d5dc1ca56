package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two traces of the same operation, span by span. Spans are aligned by their label path: a span of
 * A and a span of B are the same when their {@link Label#key}s are equal, their parents are the
 * same, and they are the k-th span of that label under that parent (by start, as the report lists
 * siblings). What is only in B appeared, what is only in A disappeared; the others got slower,
 * faster or stayed the same. Entries are sorted by the absolute change of the duration (a missing
 * span counts 0), largest first, then in tree order (A's, then B's new spans). A span without both
 * events counts a duration of 0 and shows {@code no stop}.
 *
 * <p>The alignment is one walk over each trace (parents come before children in the report's
 * order), with a table from (parent, label, index) to an aligned span, so deep traces take no
 * recursion and no per-span paths.
 */
final class Diff {
  enum Kind {
    SLOWER("slower"),
    FASTER("faster"),
    APPEARED("appeared"),
    DISAPPEARED("disappeared"),
    SAME("same");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /** One aligned span: its place, and its span in A and B (either may be null). */
  static final class Entry {
    final int id;
    final Entry parent;
    final String key;
    final int index;
    final Entry root;
    SpanNode a;
    SpanNode b;
    String labelA;
    String labelB;

    Entry(int id, Entry parent, String key, int index) {
      this.id = id;
      this.parent = parent;
      this.key = key;
      this.index = index;
      this.root = parent == null ? this : parent.root;
    }

    long aUs() {
      return timed(a) ? a.durationUs() : 0;
    }

    long bUs() {
      return timed(b) ? b.durationUs() : 0;
    }

    long deltaUs() {
      return bUs() - aUs();
    }

    Kind kind() {
      if (a == null) {
        return Kind.APPEARED;
      }
      if (b == null) {
        return Kind.DISAPPEARED;
      }
      long d = deltaUs();
      return d > 0 ? Kind.SLOWER : d < 0 ? Kind.FASTER : Kind.SAME;
    }

    /** The label shown: A's, or B's for a span that appeared; with its index when repeated. */
    String label() {
      String l = a != null ? labelA : labelB;
      return index > 0 ? l + " #" + (index + 1) : l;
    }
  }

  private record Place(int parent, String key, int index) {}

  final TraceModel a;
  final TraceModel b;
  final Analysis analysisA;
  final Analysis analysisB;
  final List<Entry> entries = new ArrayList<>();

  private Diff(TraceModel a, TraceModel b) {
    this.a = a;
    this.b = b;
    this.analysisA = Analysis.of(a);
    this.analysisB = Analysis.of(b);
    Map<Place, Entry> places = new HashMap<>();
    align(analysisA, places, true);
    align(analysisB, places, false);
  }

  static Diff of(TraceModel a, TraceModel b) {
    return new Diff(a, b);
  }

  private void align(Analysis an, Map<Place, Entry> places, boolean sideA) {
    Map<SpanNode, Entry> at = new java.util.IdentityHashMap<>();
    Map<Place, Integer> seen = new HashMap<>();
    for (SpanNode s : an.trace.spans) {
      SpanNode p = an.parent(s);
      Entry parent = p == null ? null : at.get(p);
      String key = Label.key(s);
      Place counter = new Place(parent == null ? -1 : parent.id, key, 0);
      int index = seen.merge(counter, 1, Integer::sum) - 1;
      Place place = new Place(counter.parent(), key, index);
      Entry e = places.get(place);
      if (e == null) {
        e = new Entry(entries.size(), parent, key, index);
        entries.add(e);
        places.put(place, e);
      }
      if (sideA) {
        e.a = s;
        e.labelA = an.label(s);
      } else {
        e.b = s;
        e.labelB = an.label(s);
      }
      at.put(s, e);
    }
  }

  /** The entries, largest absolute change first, then in tree order. */
  List<Entry> sorted() {
    List<Entry> out = new ArrayList<>(entries);
    out.sort(
        Comparator.comparingLong((Entry e) -> Math.abs(e.deltaUs()))
            .reversed()
            .thenComparingInt(e -> e.id));
    return out;
  }

  /** How many entries of each kind. */
  int count(Kind k) {
    int n = 0;
    for (Entry e : entries) {
      if (e.kind() == k) {
        n++;
      }
    }
    return n;
  }

  private static boolean timed(SpanNode s) {
    return s != null && s.finished && s.startEvent != null;
  }

  /**
   * The span's place: its ancestors' labels and its own, joined by {@code ›}; with more than three
   * ancestors, only the top one and the last two ({@code wsgi GET /x › … › db UPDATE t › redis GET
   * k}).
   */
  static String path(Entry e) {
    List<String> up = new ArrayList<>();
    for (Entry p = e.parent; p != null && up.size() <= 3; p = p.parent) {
      up.add(p.label());
    }
    Entry root = e.root;
    StringBuilder b = new StringBuilder();
    int n = up.size();
    if (n > 3) {
      b.append(root.label()).append(" \u203a \u2026 \u203a ");
      b.append(up.get(1)).append(" \u203a ").append(up.get(0)).append(" \u203a ");
    } else {
      for (int i = n - 1; i >= 0; i--) {
        b.append(up.get(i)).append(" \u203a ");
      }
    }
    return b.append(e.label()).toString();
  }

  /** A change in milliseconds with its sign: {@code +7.19 ms}, {@code -0.412 ms}, {@code 0 ms}. */
  static String signedMs(long us) {
    return (us > 0 ? "+" : us < 0 ? "-" : "") + TraceModel.ms(Math.abs(us));
  }

  /** The relative change, one decimal: {@code +138.1 %}; {@code new}, {@code gone}, or "-". */
  static String relative(Entry e) {
    return switch (e.kind()) {
      case APPEARED -> "new";
      case DISAPPEARED -> "gone";
      default -> relative(e.aUs(), e.bUs());
    };
  }

  static String relative(long aUs, long bUs) {
    if (aUs <= 0) {
      return bUs == aUs ? "0 %" : "-";
    }
    BigDecimal r =
        BigDecimal.valueOf((bUs - aUs) * 100L)
            .divide(BigDecimal.valueOf(aUs), 1, RoundingMode.HALF_UP)
            .stripTrailingZeros();
    String t = r.signum() == 0 ? "0" : r.toPlainString();
    return (r.signum() > 0 ? "+" : "") + t + " %";
  }

  private static String cell(SpanNode s) {
    if (s == null) {
      return "-";
    }
    return timed(s) ? TraceModel.ms(s.durationUs()) : "no stop";
  }

  private static final String[] HEAD = {"CHANGE", "A", "B", "DELTA", "%", "SPAN"};

  /** The first lines: each trace, then the change overall. */
  List<String> summary() {
    List<String> l = new ArrayList<>();
    l.add(side("A", a, analysisA));
    l.add(side("B", b, analysisB));
    l.add(
        "Change: "
            + signedMs(b.totalUs - a.totalUs)
            + " ("
            + relative(a.totalUs, b.totalUs)
            + "); "
            + count(Kind.SLOWER)
            + " slower, "
            + count(Kind.FASTER)
            + " faster, "
            + count(Kind.APPEARED)
            + " appeared, "
            + count(Kind.DISAPPEARED)
            + " disappeared, "
            + count(Kind.SAME)
            + " the same");
    return l;
  }

  private static String side(String name, TraceModel t, Analysis an) {
    return name
        + " "
        + Text.visible(t.baseId)
        + ": "
        + t.spans.size()
        + (t.spans.size() == 1 ? " span, " : " spans, ")
        + TraceModel.ms(t.totalUs)
        + "; critical path: "
        + an.shares(true);
  }

  void text(Sink out) {
    for (String l : summary()) {
      out.append(l).append('\n');
    }
    out.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (Entry e : sorted()) {
      rows.add(
          new String[] {
            e.kind().word,
            cell(e.a),
            cell(e.b),
            signedMs(e.deltaUs()),
            relative(e),
            Text.visible(path(e))
          });
    }
    int[] w = new int[HEAD.length];
    for (String[] r : rows) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.setLength(0);
      for (int i = 0; i < w.length; i++) {
        String pad = " ".repeat(w[i] - r[i].length());
        if (i > 0) {
          b.append("  ");
        }
        boolean left = i == 0 || i == w.length - 1;
        b.append(left ? r[i] + pad : pad + r[i]);
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
      :root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#ffffff;--row:#f6f8fa}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,\
      sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:16px 20px 10px;border-bottom:1px solid var(--line)}
      h1{font-size:18px;margin:0 0 6px;font-weight:600}
      p{margin:4px 0;color:var(--muted)}
      main{padding:8px 20px 24px}
      table{border-collapse:collapse;font-size:13px}
      th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
      th{color:var(--muted);font-weight:600}
      td.kind,td.span{text-align:left}
      td.span{white-space:normal;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      tr.slower td.kind,tr.slower td.delta{color:#cf222e}
      tr.faster td.kind,tr.faster td.delta{color:#1a7f37}
      tr.appeared td.kind{color:#8250df}
      tr.disappeared td.kind{color:var(--muted)}
      tr.same{color:var(--muted)}
      .ba{fill:#afb8c1}.bb{fill:#0969da}
      footer{padding:0 20px 20px;color:var(--muted);font-size:12px}
      """;

  /** The same as a page: a row per span, with a bar pair (A grey, B blue) on one scale. */
  void html(Sink page) {
    html(page, null);
  }

  /** The page with {@code nav} first in the body (null for none). */
  void html(Sink page, String nav) {
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src 'unsafe-inline'\">\n");
    page.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.append("<title>Weft diff ")
        .append(HtmlView.esc(a.baseId))
        .append(" \u2192 ")
        .append(HtmlView.esc(b.baseId))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    if (nav != null) {
      page.append(nav);
    }
    page.append("<header>\n<h1>Diff</h1>\n");
    for (String l : summary()) {
      page.append("<p>").append(HtmlView.esc(l)).append("</p>\n");
    }
    page.append(
            "</header>\n<main>\n<table class=\"diff\">\n<tr><th>Change</th><th>A</th><th>B</th>")
        .append("<th>Delta</th><th>%</th><th>A / B</th><th>Span</th></tr>\n");
    long max = 1;
    for (Entry e : entries) {
      max = Math.max(max, Math.max(e.aUs(), e.bUs()));
    }
    for (Entry e : sorted()) {
      page.append("<tr class=\"")
          .append(e.kind().word)
          .append("\"><td class=\"kind\">")
          .append(e.kind().word)
          .append("</td><td>")
          .append(HtmlView.esc(cell(e.a)))
          .append("</td><td>")
          .append(HtmlView.esc(cell(e.b)))
          .append("</td><td class=\"delta\">")
          .append(HtmlView.esc(signedMs(e.deltaUs())))
          .append("</td><td>")
          .append(HtmlView.esc(relative(e)))
          .append("</td><td><svg width=\"160\" height=\"14\" viewBox=\"0 0 160 14\">")
          .append("<rect class=\"ba\" x=\"0\" y=\"1\" height=\"5\" width=\"")
          .append(Math.round(160.0 * e.aUs() / max))
          .append("\"></rect><rect class=\"bb\" x=\"0\" y=\"8\" height=\"5\" width=\"")
          .append(Math.round(160.0 * e.bUs() / max))
          .append("\"></rect></svg></td><td class=\"span\">")
          .append(HtmlView.esc(path(e)))
          .append("</td></tr>\n");
    }
    page.append("</table>\n</main>\n<footer>Weft \u00b7 spans aligned by label path; sorted by")
        .append(" absolute change</footer>\n</body>\n</html>\n");
  }
}
