package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --html} view: one self-contained page (inline CSS and script, no network reference of
 * any kind) with a waterfall of the trace's spans. Each row shows the span's name and what it did
 * ({@link Label}) indented by depth, service and host, a bar placed by start and duration, the
 * duration and the self time; opening a row shows the span's ids and its raw start and stop
 * payloads as indented JSON. Failed spans are red and show their error type and message; the first
 * one is open when the page loads. The rows of the spans on the critical path carry the class
 * {@code cp} (a marked left edge and an outlined bar, explained by a legend), and the header shows
 * the category shares of the trace's self time and of its critical path, as text and as stacked
 * bars ({@link Analysis}).
 *
 * <p>Design note: every stored value is HTML-escaped and placed only in element text or a quoted
 * attribute, never inside the {@code <style>} or {@code <script>} blocks, which are constants. A
 * Content-Security-Policy allows only that one script (by its hash) and no fetches at all, so even
 * a mistake in escaping could neither run a script nor reach the network.
 */
public final class HtmlView {
  private HtmlView() {}

  private static final String SCRIPT =
      "document.documentElement.classList.add('js');\n"
          + "document.getElementById('expand').addEventListener('click',function(){"
          + "document.querySelectorAll('details.span').forEach(function(d){d.open=true;});});\n"
          + "document.getElementById('collapse').addEventListener('click',function(){"
          + "document.querySelectorAll('details.span').forEach(function(d){d.open=false;});});\n";

  private static final String CSS =
      """
      :root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#ffffff;--row:#f6f8fa;--err:#cf222e;\
      --errbg:#ffebe9;--cp:#bf3989;--name:34%;--svc:17%;--dur:86px}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,\
      sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:16px 20px 10px;border-bottom:1px solid var(--line)}
      h1{font-size:18px;margin:0 0 6px;font-weight:600}
      h1 code{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
      font-weight:500}
      .summary{display:flex;flex-wrap:wrap;gap:8px;margin:0;color:var(--muted)}
      .summary span{background:var(--row);border:1px solid var(--line);border-radius:12px;\
      padding:1px 10px}
      .summary .bad{color:var(--err);border-color:#ffcecb;background:var(--errbg)}
      .actions{margin-top:10px;display:none}
      .js .actions{display:block}
      button{font:inherit;font-size:12px;border:1px solid var(--line);background:var(--row);\
      border-radius:6px;padding:2px 10px;cursor:pointer}
      main{padding:0 20px 24px}
      .grid{display:grid;grid-template-columns:var(--name) var(--svc) 1fr var(--dur) var(--dur);\
      align-items:center;column-gap:12px}
      .shares{margin:10px 0 0;font-size:13px}
      .shares p{margin:6px 0 2px}
      .shares strong{font-weight:600}
      .stack{display:flex;height:8px;max-width:640px;border-radius:4px;overflow:hidden;\
      background:var(--row)}
      .stack span{display:block;height:100%}
      .k0{background:#0969da}.k1{background:#8250df}.k2{background:#1a7f37}.k3{background:#bf8700}
      .k4{background:#0a7d8c}.k6{background:#953800}.k7{background:#6e7781}
      .share{white-space:nowrap}
      .share .sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}
      .legend{display:inline-flex;align-items:center;gap:6px;margin-left:14px;color:var(--muted)}
      .legend .cpkey{display:inline-block;width:4px;height:14px;background:var(--cp)}
      summary.cp{box-shadow:inset 4px 0 0 var(--cp)}
      summary.cp .bar{outline:2px solid var(--cp);outline-offset:1px}
      .what{font-weight:400;color:var(--muted)}
      .axis{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);\
      padding:8px 4px 4px 22px;color:var(--muted);font-size:12px;z-index:1}
      .ticks{position:relative;height:16px}
      .ticks span{position:absolute;transform:translateX(-50%);white-space:nowrap}
      .ticks span:first-child{transform:none}
      .ticks span:last-child{transform:translateX(-100%)}
      details.span{border-bottom:1px solid var(--line)}
      details.span>summary{list-style:none;cursor:pointer;padding:4px 4px 4px 22px;position:relative}
      details.span>summary::-webkit-details-marker{display:none}
      details.span>summary::before{content:"\\25B8";position:absolute;left:6px;color:var(--muted)}
      details.span[open]>summary::before{content:"\\25BE"}
      details.span>summary:hover{background:var(--row)}
      .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-weight:500}
      .name .guide{color:#afb8c1;font-weight:400}
      .svc{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:var(--muted);font-size:12px}
      .track{position:relative;height:14px;background:repeating-linear-gradient(90deg,transparent 0,\
      transparent calc(25% - 1px),var(--line) calc(25% - 1px),var(--line) 25%)}
      .bar{position:absolute;top:2px;height:10px;min-width:2px;border-radius:2px}
      .dur{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      .c0 .bar{background:#0969da}.c1 .bar{background:#8250df}.c2 .bar{background:#1a7f37}
      .c3 .bar{background:#bf8700}.c4 .bar{background:#0a7d8c}.c5 .bar{background:#6e7781}
      .c6 .bar{background:#953800}.c7 .bar{background:#4b53bc}
      details.err>summary{background:var(--errbg)}
      details.err .name{color:var(--err)}
      details.err .bar{background:var(--err)}
      .etype{display:inline-block;margin-left:8px;padding:0 6px;border-radius:8px;font-size:11px;\
      font-weight:600;color:#fff;background:var(--err)}
      .detail{padding:8px 12px 12px 22px;background:var(--row);border-top:1px solid var(--line)}
      .detail dl{display:flex;flex-wrap:wrap;gap:2px 18px;margin:0 0 8px;font-size:12px}
      .detail dl div{display:flex;gap:6px}
      .detail dt{color:var(--muted)}
      .detail dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      .error{color:var(--err);font-weight:600;margin:0 0 8px;white-space:pre-wrap}
      .payloads{display:grid;grid-template-columns:1fr 1fr;gap:12px}
      .payloads h3{font-size:12px;margin:0 0 4px;color:var(--muted);font-weight:600}
      pre{margin:0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);\
      border-radius:6px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
      overflow:auto;max-height:240px;white-space:pre-wrap;word-break:break-all}
      footer{padding:0 20px 20px;color:var(--muted);font-size:12px}
      """;

  public static String render(TraceModel trace) {
    Sink s = new Sink();
    render(trace, s);
    return s.toString();
  }

  /** Writes the page; each span's row is passed on to {@code b} as it is made. */
  public static void render(TraceModel trace, Sink b) {
    render(trace, b, null);
  }

  /**
   * Writes the page with {@code nav} (constant markup and escaped values, no script) placed first
   * in the body, as {@code weft ui} heads its pages; null for none.
   */
  static void render(TraceModel trace, Sink b, String nav) {
    Analysis a = Analysis.of(trace);
    int errors = 0;
    Set<String> services = new LinkedHashSet<>();
    for (SpanNode s : trace.spans) {
      if (s.isError()) {
        errors++;
      }
      if (s.service != null) {
        services.add(s.service);
      }
    }
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(policy())
        .append("\">\n");
    b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    b.append("<title>Weft trace ").append(esc(trace.baseId)).append("</title>\n");
    b.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    if (nav != null) {
      b.append(nav);
    }
    b.append("<header>\n<h1>Trace <code>").append(esc(trace.baseId)).append("</code></h1>\n");
    b.append("<p class=\"summary\"><span>")
        .append(trace.spans.size())
        .append(trace.spans.size() == 1 ? " span" : " spans")
        .append("</span><span>")
        .append(esc(TraceModel.ms(trace.totalUs)))
        .append(" total</span>");
    if (errors > 0) {
      b.append("<span class=\"bad\">").append(errors).append(errors == 1 ? " error" : " errors");
      b.append("</span>");
    }
    for (String svc : services) {
      b.append("<span>").append(esc(svc)).append("</span>");
    }
    b.append("</p>\n");
    shares(b, a);
    b.append("<div class=\"actions\"><button id=\"expand\" type=\"button\">Expand all")
        .append("</button> <button id=\"collapse\" type=\"button\">Collapse all</button></div>\n");
    b.append("</header>\n<main>\n");
    axis(b, trace.totalUs);
    boolean firstError = true;
    for (SpanNode s : trace.spans) {
      boolean open = s.isError() && firstError;
      if (s.isError()) {
        firstError = false;
      }
      row(b, s, trace.totalUs, open, a);
    }
    b.append("</main>\n<footer>Weft \u00b7 times relative to the trace's first event</footer>\n");
    b.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
  }

  private static void axis(Sink b, long totalUs) {
    b.append("<div class=\"axis grid\"><span>Span</span><span>Service \u00b7 host</span>");
    b.append("<div class=\"ticks\">");
    for (int q = 0; q <= 4; q++) {
      b.append("<span style=\"left:").append(q * 25).append("%\">");
      b.append(esc(tick(totalUs * q / 4))).append("</span>");
    }
    b.append("</div><span class=\"dur\">Duration</span><span class=\"dur\">Self</span></div>\n");
  }

  /**
   * The share header: for the self time and for the critical path, one line of text (as the tree
   * prints it, each share with its colour) and a stacked bar.
   */
  private static void shares(Sink b, Analysis a) {
    b.append("<div class=\"shares\">\n");
    share(b, a, false);
    share(b, a, true);
    b.append("</div>\n");
  }

  private static void share(Sink b, Analysis a, boolean cp) {
    long whole = cp ? a.criticalPathUs() : a.selfUs();
    b.append("<p class=\"")
        .append(cp ? "share-cp" : "share-self")
        .append("\"><strong>")
        .append(cp ? "Critical path" : "Self time")
        .append("</strong> ")
        .append(esc(TraceModel.ms(whole)))
        .append(": ");
    boolean any = false;
    String[] percents = a.percents(cp);
    for (Analysis.Category c : Analysis.Category.values()) {
      if (percents[c.ordinal()] == null) {
        continue;
      }
      if (any) {
        b.append(" \u00b7 ");
      }
      any = true;
      b.append("<span class=\"share\"><span class=\"sw k")
          .append(categoryColour(c))
          .append("\"></span>")
          .append(c.title)
          .append(' ')
          .append(percents[c.ordinal()])
          .append("</span>");
    }
    if (!any) {
      b.append("none");
    }
    if (cp) {
      b.append(
          " <span class=\"legend\"><span class=\"cpkey\"></span>spans on the critical path</span>");
    }
    b.append("</p>\n<div class=\"stack\">");
    for (Analysis.Category c : Analysis.Category.values()) {
      long part = cp ? a.criticalUs(c) : a.selfUs(c);
      if (part > 0) {
        b.append("<span class=\"k")
            .append(categoryColour(c))
            .append("\" style=\"width:")
            .append(pct(100.0 * part / whole))
            .append("%\"></span>");
      }
    }
    b.append("</div>\n");
  }

  /** The colour of a category's share: the bar colour of its spans ({@link #colour}). */
  static int categoryColour(Analysis.Category c) {
    return switch (c) {
      case ENTRY -> 0;
      case SQL -> 1;
      case MONGODB -> 2;
      case POOL_WAIT -> 3;
      case HTTP_OUT -> 4;
      case REDIS -> 6;
      case APP -> 7;
    };
  }

  private static void row(Sink b, SpanNode s, long totalUs, boolean open, Analysis a) {
    double left = totalUs <= 0 ? 0 : 100.0 * s.startUs / totalUs;
    double width = totalUs <= 0 ? 100 : 100.0 * s.durationUs() / totalUs;
    b.append("<details class=\"span c")
        .append(colour(s.name))
        .append(s.isError() ? " err" : "")
        .append("\" id=\"span-")
        .append(esc(s.traceId))
        .append('"')
        .append(open ? " open" : "")
        .append(">\n<summary class=\"grid")
        .append(a.onCriticalPath(s) ? " cp" : "")
        .append("\"><span class=\"name\" style=\"padding-left:")
        .append(s.depth * 18L)
        .append("px\" title=\"")
        .append(esc(s.name))
        .append("\">");
    if (s.depth > 0) {
      b.append("<span class=\"guide\">\u2514 </span>");
    }
    String label = a.label(s);
    if (s.name != null && label.startsWith(s.name) && label.length() > s.name.length()) {
      b.append(esc(s.name))
          .append("<span class=\"what\">")
          .append(esc(label.substring(s.name.length())))
          .append("</span>");
    } else {
      b.append(esc(label));
    }
    if (s.isError()) {
      b.append("<span class=\"etype\">").append(esc(s.etype)).append("</span>");
    }
    String where =
        (s.service == null ? "-" : s.service) + (s.host == null ? "" : " \u00b7 " + s.host);
    b.append("</span><span class=\"svc\" title=\"")
        .append(esc(where))
        .append("\">")
        .append(esc(where))
        .append("</span><span class=\"track\"><span class=\"bar\" style=\"left:")
        .append(pct(left))
        .append("%;width:")
        .append(pct(width))
        .append("%\"></span></span><span class=\"dur\">")
        .append(s.finished ? esc(TraceModel.ms(s.durationUs())) : "no stop")
        .append("</span><span class=\"dur self\">")
        .append(timed(s) ? esc(TraceModel.ms(a.selfUs(s))) : "-")
        .append("</span></summary>\n<div class=\"detail\">\n<dl>");
    dl(b, "label", label);
    dl(b, "trace_id", s.traceId);
    dl(b, "parent_id", s.parentId);
    dl(b, "project", s.project);
    dl(b, "service", s.service);
    dl(b, "host", s.host);
    dl(b, "start", "+" + TraceModel.ms(s.startUs));
    dl(b, "duration", s.finished ? TraceModel.ms(s.durationUs()) : "no stop event");
    dl(b, "self", timed(s) ? TraceModel.ms(a.selfUs(s)) : "-");
    dl(
        b,
        "critical path",
        a.onCriticalPath(s) ? "on it, " + TraceModel.ms(a.criticalUs(s)) + " of its time" : "no");
    b.append("</dl>\n");
    if (s.isError()) {
      b.append("<p class=\"error\">")
          .append(esc(s.etype))
          .append(s.message == null ? "" : ": " + esc(s.message))
          .append("</p>\n");
    }
    b.append("<div class=\"payloads\">");
    payload(b, "start", s.startEvent);
    payload(b, "stop", s.stopEvent);
    b.append("</div>\n</div>\n</details>\n");
  }

  /**
   * The bar colour class of a span: one per category of core's table (servlet/wsgi, SQL, MongoDB,
   * pooling, HTTP, async, Redis), by span name; other spans, such as annotated methods, share one
   * more. Red is kept for errors.
   */
  static int colour(String name) {
    dev.weft.spi.TraceCategory c =
        dev.weft.spi.TraceCategory.forSpanName(name == null ? "" : name.toLowerCase(Locale.ROOT));
    if (c == null) {
      return 7;
    }
    return switch (c) {
      case SERVLET -> 0;
      case SQL -> 1;
      case MONGODB -> 2;
      case POOLING -> 3;
      case HTTP -> 4;
      case ASYNC -> 5;
      case REDIS -> 6;
      case ANNOTATED -> 7;
    };
  }

  /** Whether a span has both events, and so a duration and a self time. */
  private static boolean timed(SpanNode s) {
    return s.finished && s.startEvent != null;
  }

  private static void dl(Sink b, String term, String value) {
    b.append("<div><dt>").append(term).append("</dt><dd>");
    b.append(value == null ? "None" : esc(value)).append("</dd></div>");
  }

  private static void payload(Sink b, String title, Object event) {
    b.append("<section><h3>").append(title).append("</h3><pre>");
    b.append(event == null ? "(none)" : esc(PyJson.dumps(event)));
    b.append("</pre></section>");
  }

  /**
   * An axis label: milliseconds to three significant digits ({@code 13.1 ms}, {@code 0.215 ms}).
   */
  static String tick(long micros) {
    if (micros == 0) {
      return "0 ms";
    }
    java.math.BigDecimal ms =
        java.math.BigDecimal.valueOf(micros, 3)
            .round(new java.math.MathContext(3, java.math.RoundingMode.HALF_UP));
    return ms.stripTrailingZeros().toPlainString() + " ms";
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.3f", Math.max(0, Math.min(100, v)));
  }

  /**
   * HTML-escapes text for element content and double- or single-quoted attributes. Line feeds and
   * tabs stay (they are white space to HTML); every other character that {@link Text} calls unsafe
   * is shown as its escape, as text: a character reference would give the character itself back.
   */
  static String esc(String s) {
    if (s == null) {
      return "None";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        case '\n', '\t' -> b.append(c);
        default -> {
          if (Text.unsafe(c)) {
            Text.escape(b, c);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** The page's Content-Security-Policy: no fetches, inline style, only its own script. */
  static String policy() {
    return "default-src 'none'; style-src 'unsafe-inline'; script-src '" + scriptHash() + "'";
  }

  private static String scriptHash() {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("\n" + SCRIPT).getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
