package dev.weft.cli.internal;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A trace report (OSProfiler's shape, from {@link dev.weft.report.ReportBuilder}) read back into
 * spans with microsecond times, for the tree, HTML and DOT views. The JSON view prints the report
 * itself; the other views need sub-millisecond times that the report's integer milliseconds lose,
 * so they take them from the raw start/stop payloads each report node carries.
 */
public final class TraceModel {
  /** One span: a report node. Times are microseconds from the trace's earliest event. */
  public static final class SpanNode {
    public final String name;
    public final String traceId;
    public final String parentId;
    public final String project;
    public final String service;
    public final String host;
    public final long startUs;
    public final long stopUs;
    public final boolean finished;
    public final Map<String, Object> startEvent;
    public final Map<String, Object> stopEvent;
    public final String etype;
    public final String message;
    public final int depth;
    public final List<SpanNode> children = new ArrayList<>();

    SpanNode(
        String name,
        String traceId,
        String parentId,
        String project,
        String service,
        String host,
        long startUs,
        long stopUs,
        boolean finished,
        Map<String, Object> startEvent,
        Map<String, Object> stopEvent,
        String etype,
        String message,
        int depth) {
      this.name = name;
      this.traceId = traceId;
      this.parentId = parentId;
      this.project = project;
      this.service = service;
      this.host = host;
      this.startUs = startUs;
      this.stopUs = stopUs;
      this.finished = finished;
      this.startEvent = startEvent;
      this.stopEvent = stopEvent;
      this.etype = etype;
      this.message = message;
      this.depth = depth;
    }

    public long durationUs() {
      return stopUs - startUs;
    }

    public boolean isError() {
      return etype != null;
    }
  }

  public final String baseId;
  public final long totalUs;
  public final List<SpanNode> roots;

  /** Every span, depth first, siblings in start order (the report's order). */
  public final List<SpanNode> spans;

  private TraceModel(String baseId, long totalUs, List<SpanNode> roots, List<SpanNode> spans) {
    this.baseId = baseId;
    this.totalUs = totalUs;
    this.roots = roots;
    this.spans = spans;
  }

  /**
   * Reads a built report; {@code baseId} names the trace in headers. The report is walked with an
   * explicit stack, so a report nested arbitrarily deep is read without deep recursion.
   */
  @SuppressWarnings("unchecked")
  public static TraceModel of(String baseId, Map<String, Object> report) {
    List<Map<String, Object>> children = (List<Map<String, Object>>) report.get("children");
    long origin = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    Deque<Map<String, Object>> todo = new ArrayDeque<>(children);
    while (!todo.isEmpty()) {
      Map<String, Object> n = todo.pop();
      for (Map.Entry<String, Object> e : info(n).entrySet()) {
        if (e.getKey().startsWith("meta.raw_payload.") && e.getValue() instanceof Map) {
          long t = time((Map<String, Object>) e.getValue());
          origin = Math.min(origin, t);
          last = Math.max(last, t);
        }
      }
      todo.addAll((List<Map<String, Object>>) n.get("children"));
    }
    List<SpanNode> all = new ArrayList<>();
    List<SpanNode> roots = new ArrayList<>();
    // Depth first, siblings in order: each entry is a report node and the span it goes under.
    Deque<Map<String, Object>> nodes = new ArrayDeque<>();
    Deque<SpanNode> parents = new ArrayDeque<>();
    for (int i = children.size() - 1; i >= 0; i--) {
      nodes.push(children.get(i));
      parents.push(NONE);
    }
    while (!nodes.isEmpty()) {
      Map<String, Object> n = nodes.pop();
      SpanNode parent = parents.pop();
      SpanNode node = node(n, parent == NONE ? 0 : parent.depth + 1, origin);
      all.add(node);
      (parent == NONE ? roots : parent.children).add(node);
      List<Map<String, Object>> kids = (List<Map<String, Object>>) n.get("children");
      for (int i = kids.size() - 1; i >= 0; i--) {
        nodes.push(kids.get(i));
        parents.push(node);
      }
    }
    long total = origin == Long.MAX_VALUE ? 0 : last - origin;
    return new TraceModel(
        baseId, total, Collections.unmodifiableList(roots), Collections.unmodifiableList(all));
  }

  /** Stands for "no parent" on the stack (an {@link ArrayDeque} holds no null). */
  private static final SpanNode NONE =
      new SpanNode(null, null, null, null, null, null, 0, 0, false, null, null, null, null, -1);

  @SuppressWarnings("unchecked")
  private static Map<String, Object> info(Map<String, Object> node) {
    return (Map<String, Object>) node.get("info");
  }

  private static long time(Map<String, Object> event) {
    Object ts = event.get("timestamp");
    return ts instanceof String ? EventParser.parsesAsTime((String) ts) : Long.MIN_VALUE;
  }

  @SuppressWarnings("unchecked")
  private static SpanNode node(Map<String, Object> n, int depth, long origin) {
    Map<String, Object> info = info(n);
    String name = text(info.get("name"));
    Map<String, Object> start = null;
    Map<String, Object> stop = null;
    for (Map.Entry<String, Object> e : info.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("meta.raw_payload.") && e.getValue() instanceof Map) {
        if (k.endsWith("stop")) { // as ReportBuilder tells start from stop
          stop = (Map<String, Object>) e.getValue();
        } else {
          start = (Map<String, Object>) e.getValue();
        }
      }
    }
    long s = start != null ? time(start) : time(stop);
    long f = stop != null ? time(stop) : s;
    String etype = null;
    String message = null;
    if (stop != null && stop.get("info") instanceof Map) {
      Map<String, Object> stopInfo = (Map<String, Object>) stop.get("info");
      if (stopInfo.containsKey("etype")) {
        etype = text(stopInfo.get("etype"));
        message = stopInfo.containsKey("message") ? text(stopInfo.get("message")) : null;
      }
    }
    return new SpanNode(
        name,
        text(n.get("trace_id")),
        text(n.get("parent_id")),
        text(info.get("project")),
        text(info.get("service")),
        text(info.get("host")),
        s - origin,
        f - origin,
        stop != null,
        start,
        stop,
        etype,
        message,
        depth);
  }

  private static String text(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  /**
   * Microseconds as milliseconds, exactly and without trailing zeros: {@code 40 ms}, {@code 0.215
   * ms}, {@code 12.5 ms}.
   */
  public static String ms(long micros) {
    return BigDecimal.valueOf(micros, 3).stripTrailingZeros().toPlainString() + " ms";
  }
}
