package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import dev.weft.spi.TraceCategory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a trace's time went: each span's label ({@link Label}), its self time, whether it is on the
 * critical path, and the share of each {@link Category} in the trace's self time and in its
 * critical path.
 *
 * <p><b>The tree analysed.</b> A span's parent is the span it is listed under in the model, except
 * that a span moved up by the nesting limit ({@code --max-depth}) goes back under its stored parent
 * when that parent is listed beside it, before it; so the analysis of a deep trace is the analysis
 * of the trace as stored, not of its flattened listing. Times are microseconds from the trace's
 * first event. A span with only one event (a start without a stop, or a stop without a start) has
 * no duration: it stands at the time of that event, its self time is 0, and its children are
 * analysed as any others.
 *
 * <p><b>Self time</b> of a span: its duration minus the time during which at least one of its
 * children ran. Each child's interval is clipped to the parent's interval first, so a child that
 * outlives its parent (or, with skewed clocks, starts before it) counts only inside the parent, and
 * a child that starts after its parent ended counts not at all; overlapping children are merged, so
 * two children running in parallel for 5 ms take 5 ms, not 10.
 *
 * <p><b>The critical path</b> is the chain of spans that the trace's end-to-end time waits on. Let
 * the <i>end</i> of a span be the latest stop among the span and all its descendants (a span that
 * handed work to an async child that outlives it ends when that child ends). The trace is a virtual
 * span from its first to its last event with the top-level spans as children. Starting with the
 * virtual span and a cursor at the trace's last event, repeatedly: among the current span's
 * children whose end is at or before the cursor and after the current span's start, take the one
 * that ends last (on a tie, the one that started first, then the first listed); the time from its
 * end to the cursor belongs to the current span; walk that child the same way from its end, with
 * its start clipped to the current span's start; when it is done, the cursor is that (clipped)
 * start and the current span looks for its next child. When no child qualifies, the time from the
 * current span's start to the cursor belongs to it, and its parent continues from there. So the
 * path crosses services (a remote entry span is a child of the HTTP call that reached it) and async
 * hand-offs (a child that starts after its parent ended is walked as any other; the wait from the
 * parent's stop to that child's start is the parent's, as the hand-off). Every instant of the trace
 * belongs to exactly one span on the path, or to none when no top-level span covers it; {@link
 * #criticalPathUs()} is the sum of the spans' parts. A span is on the critical path when the walk
 * enters it, even if all of its time belongs to its children.
 *
 * <p>Everything is computed with explicit stacks and sorting, in O(n log n) for n spans, so a trace
 * nested thousands of levels deep is analysed like a flat one.
 */
public final class Analysis {
  /** The categories that shares are counted in, in the order they are shown. */
  public enum Category {
    SQL("sql", "SQL"),
    REDIS("redis", "Redis"),
    MONGODB("mongodb", "MongoDB"),
    POOL_WAIT("pool_wait", "pool wait"),
    HTTP_OUT("http_out", "HTTP out"),
    ENTRY("entry", "entry"),
    APP("app", "app");

    /** The JSON key. */
    public final String key;

    /** The name shown. */
    public final String title;

    Category(String key, String title) {
      this.key = key;
      this.title = title;
    }

    /**
     * The category of a span by its name, as core's category table names spans: db, sql and
     * hibernate are SQL; redis; mongodb; pooling is pool wait; http, https and requests are HTTP
     * out; wsgi and servlet are the entry; everything else (annotated methods, async, OSProfiler
     * functions) is app.
     */
    public static Category of(String spanName) {
      TraceCategory c =
          TraceCategory.forSpanName(spanName == null ? null : spanName.toLowerCase(Locale.ROOT));
      if (c == null) {
        return APP;
      }
      return switch (c) {
        case SQL -> SQL;
        case REDIS -> REDIS;
        case MONGODB -> MONGODB;
        case POOLING -> POOL_WAIT;
        case HTTP -> HTTP_OUT;
        case SERVLET -> ENTRY;
        case ANNOTATED, ASYNC -> APP;
      };
    }
  }

  /** A part of the critical path: from {@code fromUs} to {@code toUs}, the time of one span. */
  public record Segment(SpanNode span, long fromUs, long toUs) {}

  public final TraceModel trace;
  private final Map<SpanNode, Integer> index;
  private final SpanNode[] spans;
  private final int[] parent;
  private final String[] labels;
  private final Category[] categories;
  private final long[] selfUs;
  private final long[] criticalUs;
  private final boolean[] onPath;
  private final long[] selfByCategory = new long[Category.values().length];
  private final long[] criticalByCategory = new long[Category.values().length];
  private final List<Segment> segments;
  private long selfTotal;
  private long pathTotal;

  private Analysis(TraceModel trace) {
    this.trace = trace;
    int n = trace.spans.size();
    spans = trace.spans.toArray(new SpanNode[0]);
    index = new IdentityHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      index.put(spans[i], i);
    }
    parent = parents();
    labels = new String[n];
    categories = new Category[n];
    selfUs = new long[n];
    criticalUs = new long[n];
    onPath = new boolean[n];
    int[][] kids = children();
    for (int i = 0; i < n; i++) {
      labels[i] = Label.of(spans[i]);
      categories[i] = Category.of(spans[i].name);
      selfUs[i] = self(i, kids[i]);
      selfByCategory[categories[i].ordinal()] += selfUs[i];
      selfTotal += selfUs[i];
    }
    segments = criticalPath(kids);
  }

  /** Analyses a trace. */
  public static Analysis of(TraceModel trace) {
    return new Analysis(trace);
  }

  /** Each span's parent (an index, or -1): as listed, or its stored parent when flattened. */
  private int[] parents() {
    int n = spans.length;
    int[] listed = new int[n];
    Arrays.fill(listed, -1);
    Map<String, Integer> byId = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      for (SpanNode c : spans[i].children) {
        listed[index.get(c)] = i;
      }
      byId.putIfAbsent(spans[i].traceId, i);
    }
    int[] p = listed.clone();
    for (int i = 0; i < n; i++) {
      Integer q = spans[i].parentId == null ? null : byId.get(spans[i].parentId);
      // A flattened span's stored parent is listed beside it (same listed parent), before it.
      if (q != null && q < i && listed[q] == listed[i]) {
        p[i] = q;
      }
    }
    return p;
  }

  private int[][] children() {
    int n = spans.length;
    int[] count = new int[n];
    for (int i = 0; i < n; i++) {
      if (parent[i] >= 0) {
        count[parent[i]]++;
      }
    }
    int[][] kids = new int[n][];
    for (int i = 0; i < n; i++) {
      kids[i] = new int[count[i]];
      count[i] = 0;
    }
    for (int i = 0; i < n; i++) {
      if (parent[i] >= 0) {
        kids[parent[i]][count[parent[i]]++] = i;
      }
    }
    return kids;
  }

  private long self(int i, int[] kids) {
    SpanNode s = spans[i];
    if (!s.finished || s.startEvent == null || s.durationUs() <= 0) {
      return 0;
    }
    long[][] iv = new long[kids.length][];
    int m = 0;
    for (int k : kids) {
      long from = Math.max(spans[k].startUs, s.startUs);
      long to = Math.min(spans[k].stopUs, s.stopUs);
      if (to > from) {
        iv[m++] = new long[] {from, to};
      }
    }
    Arrays.sort(iv, 0, m, (a, b) -> Long.compare(a[0], b[0]));
    long covered = 0;
    long curFrom = 0;
    long curTo = Long.MIN_VALUE;
    for (int j = 0; j < m; j++) {
      if (iv[j][0] > curTo) {
        if (curTo > curFrom) {
          covered += curTo - curFrom;
        }
        curFrom = iv[j][0];
        curTo = iv[j][1];
      } else {
        curTo = Math.max(curTo, iv[j][1]);
      }
    }
    if (curTo > curFrom) {
      covered += curTo - curFrom;
    }
    return s.durationUs() - covered;
  }

  /** A span being walked: its children by end (latest first), the next one, its start, cursor. */
  private static final class Frame {
    final int span;
    final Integer[] kids;
    final long lo;
    int next;
    long cursor;
    boolean entered;

    Frame(int span, Integer[] kids, long lo, long cursor) {
      this.span = span;
      this.kids = kids;
      this.lo = lo;
      this.cursor = cursor;
    }
  }

  private List<Segment> criticalPath(int[][] kids) {
    int n = spans.length;
    long[] end = new long[n];
    for (int i = n - 1; i >= 0; i--) {
      end[i] = Math.max(end[i], Math.max(spans[i].stopUs, spans[i].startUs));
      for (int k : kids[i]) {
        end[i] = Math.max(end[i], end[k]);
      }
    }
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (parent[i] < 0) {
        roots.add(i);
      }
    }
    List<Segment> out = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(-1, byEnd(roots.toArray(new Integer[0]), end), 0, trace.totalUs));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      while (f.next < f.kids.length && end[f.kids[f.next]] > f.cursor) {
        f.next++;
      }
      int c = f.next < f.kids.length ? f.kids[f.next] : -1;
      if (c >= 0 && (end[c] > f.lo || (f.span < 0 && !f.entered))) {
        f.next++;
        f.entered = true;
        segment(out, f.span, end[c], f.cursor);
        long lo = Math.min(Math.max(spans[c].startUs, f.lo), end[c]);
        onPath[c] = true;
        Integer[] ck = new Integer[kids[c].length];
        for (int j = 0; j < ck.length; j++) {
          ck[j] = kids[c][j];
        }
        stack.push(new Frame(c, byEnd(ck, end), lo, end[c]));
      } else {
        segment(out, f.span, f.lo, f.cursor);
        stack.pop();
        if (!stack.isEmpty()) {
          stack.peek().cursor = f.lo;
        }
      }
    }
    Collections.reverse(out);
    return Collections.unmodifiableList(out);
  }

  private Integer[] byEnd(Integer[] kids, long[] end) {
    Arrays.sort(
        kids,
        (a, b) -> {
          int c = Long.compare(end[b], end[a]);
          if (c == 0) {
            c = Long.compare(spans[a].startUs, spans[b].startUs);
          }
          return c != 0 ? c : Integer.compare(a, b);
        });
    return kids;
  }

  private void segment(List<Segment> out, int span, long from, long to) {
    if (span < 0 || to <= from) {
      return;
    }
    criticalUs[span] += to - from;
    criticalByCategory[categories[span].ordinal()] += to - from;
    pathTotal += to - from;
    // Parts are made latest first; one that ends where the span's previous part starts joins it.
    int last = out.size() - 1;
    if (last >= 0 && out.get(last).span() == spans[span] && out.get(last).fromUs() == to) {
      out.set(last, new Segment(spans[span], from, out.get(last).toUs()));
    } else {
      out.add(new Segment(spans[span], from, to));
    }
  }

  private int at(SpanNode s) {
    Integer i = index.get(s);
    if (i == null) {
      throw new IllegalArgumentException("not a span of this trace");
    }
    return i;
  }

  /** The span's label. */
  public String label(SpanNode s) {
    return labels[at(s)];
  }

  public Category category(SpanNode s) {
    return categories[at(s)];
  }

  /** The span's self time, in microseconds. */
  public long selfUs(SpanNode s) {
    return selfUs[at(s)];
  }

  /** The time of the critical path that belongs to the span, in microseconds. */
  public long criticalUs(SpanNode s) {
    return criticalUs[at(s)];
  }

  public boolean onCriticalPath(SpanNode s) {
    return onPath[at(s)];
  }

  /** The span's parent in the tree analysed, or null. */
  public SpanNode parent(SpanNode s) {
    int p = parent[at(s)];
    return p < 0 ? null : spans[p];
  }

  /** The critical path, earliest part first. */
  public List<Segment> criticalPath() {
    return segments;
  }

  /** The sum of all spans' self times. */
  public long selfUs() {
    return selfTotal;
  }

  /** The length of the critical path: the sum of the time of its spans. */
  public long criticalPathUs() {
    return pathTotal;
  }

  public long selfUs(Category c) {
    return selfByCategory[c.ordinal()];
  }

  public long criticalUs(Category c) {
    return criticalByCategory[c.ordinal()];
  }

  /**
   * The shares as one line, {@code SQL 41 % · Redis 12 % · app 47 %}: of the total self time, or of
   * the critical path. Categories with no time are left out; {@code none} when there is no time at
   * all. See {@link #percents} for the rounding.
   */
  public String shares(boolean criticalPath) {
    String[] p = percents(criticalPath);
    StringBuilder b = new StringBuilder();
    for (Category c : Category.values()) {
      if (p[c.ordinal()] == null) {
        continue;
      }
      if (b.length() > 0) {
        b.append(" \u00b7 ");
      }
      b.append(c.title).append(' ').append(p[c.ordinal()]);
    }
    return b.length() == 0 ? "none" : b.toString();
  }

  /**
   * Each category's share as shown ({@code 41 %}), or null for a category with no time. Whole
   * percents that add up to 100 (largest remainder: each share rounded down, and the points left go
   * to the largest remainders, the first category on a tie); a positive share that gets 0 shows as
   * {@code <1 %}.
   */
  public String[] percents(boolean criticalPath) {
    return percents(criticalPath ? criticalByCategory : selfByCategory);
  }

  static String[] percents(long[] by) {
    long whole = 0;
    for (long v : by) {
      whole += v;
    }
    String[] out = new String[by.length];
    if (whole <= 0) {
      return out;
    }
    long[] p = new long[by.length];
    long[] rest = new long[by.length];
    long given = 0;
    for (int i = 0; i < by.length; i++) {
      p[i] = by[i] * 100 / whole;
      rest[i] = by[i] * 100 % whole;
      given += p[i];
    }
    for (long left = 100 - given; left > 0; left--) {
      int best = -1;
      for (int i = 0; i < by.length; i++) {
        if (by[i] > 0 && (best < 0 || rest[i] > rest[best])) {
          best = i;
        }
      }
      p[best]++;
      rest[best] = -1;
    }
    for (int i = 0; i < by.length; i++) {
      if (by[i] > 0) {
        out[i] = p[i] == 0 ? "<1 %" : p[i] + " %";
      }
    }
    return out;
  }

  /**
   * The analysis as a JSON value for {@link PyJson}: the trace's totals and shares (fractions of 1,
   * four decimals, every category), the critical path's parts, and one entry per span in report
   * order. Times are milliseconds.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("base_id", trace.baseId);
    m.put("total_ms", ms(trace.totalUs));
    m.put("self_ms", ms(selfTotal));
    m.put("critical_path_ms", ms(pathTotal));
    Map<String, Object> shares = new LinkedHashMap<>();
    shares.put("self", fractions(selfByCategory, selfTotal));
    shares.put("critical_path", fractions(criticalByCategory, pathTotal));
    m.put("shares", shares);
    Map<String, Object> byCat = new LinkedHashMap<>();
    for (Category c : Category.values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("self_ms", ms(selfByCategory[c.ordinal()]));
      e.put("critical_path_ms", ms(criticalByCategory[c.ordinal()]));
      byCat.put(c.key, e);
    }
    m.put("categories", byCat);
    List<Object> path = new ArrayList<>(segments.size());
    for (Segment s : segments) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("trace_id", s.span().traceId);
      e.put("label", labels[at(s.span())]);
      e.put("from_ms", ms(s.fromUs()));
      e.put("to_ms", ms(s.toUs()));
      path.add(e);
    }
    m.put("critical_path", path);
    List<Object> list = new ArrayList<>(spans.length);
    for (int i = 0; i < spans.length; i++) {
      SpanNode s = spans[i];
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("trace_id", s.traceId);
      e.put("parent_id", s.parentId);
      e.put("name", s.name);
      e.put("label", labels[i]);
      e.put("category", categories[i].key);
      e.put("service", s.service);
      e.put("start_ms", ms(s.startUs));
      e.put("duration_ms", s.finished && s.startEvent != null ? ms(s.durationUs()) : null);
      e.put("self_ms", ms(selfUs[i]));
      e.put("critical_path_ms", ms(criticalUs[i]));
      e.put("on_critical_path", onPath[i]);
      e.put("error", s.etype);
      list.add(e);
    }
    m.put("spans", list);
    return m;
  }

  private static Map<String, Object> fractions(long[] by, long whole) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Category c : Category.values()) {
      double f = whole <= 0 ? 0.0 : Math.round(by[c.ordinal()] * 10_000.0 / whole) / 10_000.0;
      m.put(c.key, f);
    }
    return m;
  }

  /** Microseconds as a JSON number of milliseconds. */
  static Double ms(long us) {
    return us / 1000.0;
  }
}
