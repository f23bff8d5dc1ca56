package dev.weft.cli.internal;

import dev.weft.report.ReportBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace as every view of {@code weft trace show} takes it: the stored events read within the
 * {@link Limits}, built into OSProfiler's report by {@link ReportBuilder}, with two repairs that no
 * stored trace can escape.
 *
 * <ul>
 *   <li><b>Parent cycles are cut.</b> A span's parent is the span whose trace_id is the parent_id
 *       of its first event. A span whose parent is missing from the trace is a top-level span (as
 *       in OSProfiler: the root span's parent is the base_id, and a trace may continue one stored
 *       elsewhere), and so is a span that is its own parent. Spans whose parents form a longer
 *       cycle (A's parent B, B's parent A) would reach no top-level span: each such cycle is cut at
 *       its span with the earliest event, the first stored on a tie, which becomes a top-level
 *       span; the other spans of the cycle, and spans below them, stay where their parent_ids put
 *       them. The report keeps every span's stored parent_id and raw payloads unchanged.
 *   <li><b>Nesting is bounded.</b> Below a span at level {@code maxDepth - 1} (a top-level span is
 *       level 1), all descendants are listed flat at level {@code maxDepth}, in tree order (depth
 *       first, siblings by start), in the report itself, so that the JSON view is bounded too.
 * </ul>
 *
 * A trace that needs neither repair gives exactly ReportBuilder's report.
 */
public final class LoadedTrace {
  public final String baseId;
  public final Limits limits;
  public final EventParser.Parsed parsed;

  /** The report, or null when no event of the trace could be read. */
  public final Map<String, Object> report;

  /** Spans in parent cycles (a span that is its own parent included), and the cycles. */
  public final int cycleSpans;

  public final int cycles;

  /** The deepest level of nesting in the stored trace (a top-level span is level 1). */
  public final int levels;

  /** Spans deeper than {@code limits.maxDepth()}, shown at that level. */
  public final int flattened;

  private LoadedTrace(
      String baseId,
      Limits limits,
      EventParser.Parsed parsed,
      Map<String, Object> report,
      int cycleSpans,
      int cycles,
      int levels,
      int flattened) {
    this.baseId = baseId;
    this.limits = limits;
    this.parsed = parsed;
    this.report = report;
    this.cycleSpans = cycleSpans;
    this.cycles = cycles;
    this.levels = levels;
    this.flattened = flattened;
  }

  public static LoadedTrace load(String baseId, List<String> rawEvents, Limits limits) {
    EventParser.Parsed parsed = EventParser.parse(rawEvents, limits);
    List<Map<String, Object>> events = parsed.events();

    // The first event of each span fixes its parent, as in ReportBuilder.
    Map<String, Integer> index = new HashMap<>();
    List<Map<String, Object>> firsts = new ArrayList<>();
    List<Long> earliest = new ArrayList<>();
    for (Map<String, Object> e : events) {
      String id = EventParser.spanOf(e);
      if (id == null) {
        continue;
      }
      long ts = EventParser.parsesAsTime((String) e.get("timestamp"));
      Integer k = index.get(id);
      if (k == null) {
        index.put(id, firsts.size());
        firsts.add(e);
        earliest.add(ts);
      } else if (ts < earliest.get(k)) {
        earliest.set(k, ts);
      }
    }
    int n = firsts.size();
    int[] parent = new int[n];
    int selfParented = 0;
    for (int k = 0; k < n; k++) {
      Object p = firsts.get(k).get("parent_id");
      Integer pk = p == null ? null : index.get(String.valueOf(p));
      if (pk != null && pk == k) {
        selfParented++;
        pk = null;
      }
      parent[k] = pk == null ? -1 : pk;
    }

    // Follow parent links from each span not yet seen; a walk that meets itself found a cycle.
    byte[] state = new byte[n]; // 0 unseen, 1 on the current walk, 2 done
    List<Integer> cuts = new ArrayList<>();
    int cycleSpans = selfParented;
    List<Integer> walk = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      walk.clear();
      int cur = k;
      while (cur >= 0 && state[cur] == 0) {
        state[cur] = 1;
        walk.add(cur);
        cur = parent[cur];
      }
      if (cur >= 0 && state[cur] == 1) {
        int from = walk.indexOf(cur);
        int cut = cur;
        for (int w = from; w < walk.size(); w++) {
          int s = walk.get(w);
          if (earliest.get(s) < earliest.get(cut)
              || (earliest.get(s).equals(earliest.get(cut)) && s < cut)) {
            cut = s;
          }
        }
        cuts.add(cut);
        cycleSpans += walk.size() - from;
      }
      for (int s : walk) {
        state[s] = 2;
      }
    }

    // A cut span's first event goes in without its parent_id, which makes the span top-level;
    // the report then gets the stored event and parent_id back.
    Map<Map<String, Object>, Map<String, Object>> stand = new IdentityHashMap<>();
    for (int cut : cuts) {
      Map<String, Object> copy = new LinkedHashMap<>(firsts.get(cut));
      copy.put("parent_id", null);
      stand.put(firsts.get(cut), copy);
    }
    ReportBuilder builder = new ReportBuilder();
    for (Map<String, Object> e : events) {
      Map<String, Object> in = stand.get(e);
      builder.add(in == null ? e : in);
    }
    if (builder.isEmpty()) {
      return new LoadedTrace(baseId, limits, parsed, null, 0, 0, 0, 0);
    }
    Map<String, Object> report = builder.build();
    if (!stand.isEmpty()) {
      Map<String, Map<String, Object>> byId = new HashMap<>();
      for (Map<String, Object> stored : stand.keySet()) {
        byId.put(String.valueOf(stored.get("trace_id")), stored);
      }
      for (Map<String, Object> node : children(report)) {
        Map<String, Object> stored = byId.get(String.valueOf(node.get("trace_id")));
        if (stored != null) {
          node.put("parent_id", stored.get("parent_id"));
          String key = "meta.raw_payload." + stored.get("name");
          if (info(node).get(key) == stand.get(stored)) {
            info(node).put(key, stored);
          }
        }
      }
    }
    int[] depth = flatten(report, limits.maxDepth());
    return new LoadedTrace(
        baseId, limits, parsed, report, cycleSpans, cuts.size() + selfParented, depth[0], depth[1]);
  }

  /**
   * Lists the descendants of every span at level {@code maxDepth - 1} flat at level {@code
   * maxDepth}; returns the deepest level found and the number of spans moved up.
   */
  private static int[] flatten(Map<String, Object> report, int maxDepth) {
    if (maxDepth == 1) {
      return flattenInto(children(report), 1);
    }
    int deepest = 0;
    int moved = 0;
    Deque<Map<String, Object>> nodes = new ArrayDeque<>();
    Deque<Integer> levels = new ArrayDeque<>();
    List<Map<String, Object>> roots = children(report);
    for (int i = roots.size() - 1; i >= 0; i--) {
      nodes.push(roots.get(i));
      levels.push(1);
    }
    while (!nodes.isEmpty()) {
      Map<String, Object> node = nodes.pop();
      int level = levels.pop();
      deepest = Math.max(deepest, level);
      List<Map<String, Object>> kids = children(node);
      if (level == maxDepth - 1) {
        int[] r = flattenInto(kids, maxDepth);
        deepest = Math.max(deepest, r[0]);
        moved += r[1];
        continue;
      }
      for (int i = kids.size() - 1; i >= 0; i--) {
        nodes.push(kids.get(i));
        levels.push(level + 1);
      }
    }
    return new int[] {deepest, moved};
  }

  /**
   * Replaces {@code kids} (at {@code level}) by all of their subtrees' spans in tree order, each
   * without children; returns the deepest level found and how many spans were deeper than {@code
   * level}.
   */
  private static int[] flattenInto(List<Map<String, Object>> kids, int level) {
    int deepest = 0;
    int moved = 0;
    boolean nested = false;
    for (Map<String, Object> k : kids) {
      nested |= !children(k).isEmpty();
    }
    if (!nested) {
      return new int[] {kids.isEmpty() ? 0 : level, 0};
    }
    List<Map<String, Object>> flat = new ArrayList<>();
    Deque<Map<String, Object>> nodes = new ArrayDeque<>();
    Deque<Integer> levels = new ArrayDeque<>();
    for (int i = kids.size() - 1; i >= 0; i--) {
      nodes.push(kids.get(i));
      levels.push(level);
    }
    while (!nodes.isEmpty()) {
      Map<String, Object> node = nodes.pop();
      int l = levels.pop();
      flat.add(node);
      deepest = Math.max(deepest, l);
      if (l > level) {
        moved++;
      }
      List<Map<String, Object>> cs = children(node);
      for (int i = cs.size() - 1; i >= 0; i--) {
        nodes.push(cs.get(i));
        levels.push(l + 1);
      }
    }
    for (Map<String, Object> node : flat) {
      children(node).clear();
    }
    kids.clear();
    kids.addAll(flat);
    return new int[] {deepest, moved};
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> children(Map<String, Object> node) {
    Object c = node.get("children");
    return c instanceof List ? (List<Map<String, Object>>) c : Collections.emptyList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> info(Map<String, Object> node) {
    return (Map<String, Object>) node.get("info");
  }

  /** Whether no event of the trace could be read. */
  public boolean isEmpty() {
    return report == null;
  }

  /** The spans, for the tree, HTML and DOT views. */
  public TraceModel model() {
    return TraceModel.of(baseId, report);
  }

  /** What was left out or repaired, one line each, for standard error (without a prefix). */
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    String trace = "trace " + Text.visible(baseId);
    if (parsed.skipped() > 0) {
      w.add(
          "skipped "
              + parsed.skipped()
              + " unreadable event"
              + (parsed.skipped() == 1 ? "" : "s")
              + " of "
              + trace);
    }
    if (parsed.eventsNotRead() > 0) {
      w.add(
          trace
              + " has more than "
              + plural(limits.maxBytes(), "byte")
              + " of events; read the first "
              + plural(parsed.bytesRead(), "byte")
              + " (--max-bytes), "
              + plural(parsed.eventsNotRead(), "event")
              + " left out");
    }
    if (parsed.spansLeftOut() > 0) {
      w.add(
          trace
              + " has more than "
              + plural(limits.maxSpans(), "span")
              + "; read the first "
              + limits.maxSpans()
              + " (--max-spans), "
              + plural(parsed.spansLeftOut(), "span")
              + " left out");
    }
    if (cycleSpans > 0) {
      w.add(
          trace
              + ": "
              + plural(cycleSpans, "span")
              + " in "
              + plural(cycles, "parent cycle")
              + "; each cycle is cut at its earliest span, which is shown at the top level");
    }
    if (flattened > 0) {
      w.add(
          trace
              + " nests "
              + levels
              + " levels deep; "
              + plural(flattened, "span")
              + " below level "
              + limits.maxDepth()
              + " shown at level "
              + limits.maxDepth()
              + " (--max-depth)");
    }
    return w;
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
