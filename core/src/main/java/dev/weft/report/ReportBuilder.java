package dev.weft.report;

import dev.weft.internal.pipeline.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds OSProfiler's trace report (what {@code osprofiler trace show --json} prints) from a
 * trace's events, following osprofiler/drivers/base.py: one node per trace_id with the raw start
 * and stop payloads, times in integer milliseconds relative to the earliest event (truncated),
 * children attached by parent_id and sorted by start, per-name stats.
 *
 * <p>Input events are parsed JSON objects ({@code Map}, {@code List}, {@code String}, numbers); the
 * report is made of insertion-ordered maps in OSProfiler's key order, ready for any JSON writer.
 */
public final class ReportBuilder {
  private final Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
  private final Map<String, long[]> times = new LinkedHashMap<>(); // trace_id -> {start, stop}
  private Long startedAt;
  private Long finishedAt;
  private Long lastStartedAt;

  /** Adds one event (OSProfiler's notification payload). Events without a name are ignored. */
  @SuppressWarnings("unchecked")
  public ReportBuilder add(Map<String, Object> event) {
    Object nameObj = event.get("name");
    Object tsObj = event.get("timestamp");
    Object traceObj = event.get("trace_id");
    if (!(nameObj instanceof String) || !(tsObj instanceof String) || traceObj == null) {
      return this;
    }
    String name = (String) nameObj;
    String traceId = String.valueOf(traceObj);
    long ts = Timestamps.parse((String) tsObj);
    Map<String, Object> node = nodes.get(traceId);
    if (node == null) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("name", name.split("-", 2)[0]);
      info.put("project", event.get("project"));
      info.put("service", event.get("service"));
      Object payloadInfo = event.get("info");
      info.put(
          "host",
          payloadInfo instanceof Map ? ((Map<String, Object>) payloadInfo).get("host") : null);
      node = new LinkedHashMap<>();
      node.put("info", info);
      node.put("trace_id", traceId);
      node.put("parent_id", event.get("parent_id"));
      node.put("children", new ArrayList<Map<String, Object>>());
      nodes.put(traceId, node);
      times.put(traceId, new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
    }
    Map<String, Object> info = (Map<String, Object>) node.get("info");
    info.put("meta.raw_payload." + name, event);
    long[] t = times.get(traceId);
    if (name.endsWith("stop")) {
      info.put("finished", null);
      t[1] = ts;
      Object exc = "None";
      Object payloadInfo = event.get("info");
      if (payloadInfo instanceof Map && ((Map<String, Object>) payloadInfo).containsKey("etype")) {
        exc = ((Map<String, Object>) payloadInfo).get("etype");
      }
      info.put("exception", exc);
    } else {
      info.put("started", null);
      t[0] = ts;
      if (lastStartedAt == null || lastStartedAt < ts) {
        lastStartedAt = ts;
      }
    }
    if (startedAt == null || startedAt > ts) {
      startedAt = ts;
    }
    if (finishedAt == null || finishedAt < ts) {
      finishedAt = ts;
    }
    return this;
  }

  public ReportBuilder addAll(List<Map<String, Object>> events) {
    for (Map<String, Object> e : events) {
      add(e);
    }
    return this;
  }

  /** Whether no event was added. */
  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  private static long msec(long micros) {
    return micros / 1000; // Python's int(us / 1000.0) truncates toward zero
  }

  /** The report: {@code {"info": {...total...}, "children": [...], "stats": {...}}}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> build() {
    Map<String, Object> stats = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> en : nodes.entrySet()) {
      Map<String, Object> info = (Map<String, Object>) en.getValue().get("info");
      long[] t = times.get(en.getKey());
      long start = t[0] == Long.MIN_VALUE ? t[1] : t[0];
      long stop = t[1] == Long.MIN_VALUE ? t[0] : t[1];
      long opStarted = msec(start - startedAt);
      long opFinished = msec(stop - startedAt);
      info.put("started", opStarted);
      info.put("finished", opFinished);
      String type = String.valueOf(info.get("name"));
      Map<String, Object> s = (Map<String, Object>) stats.get(type);
      long duration = opFinished - opStarted;
      if (s == null) {
        s = new LinkedHashMap<>();
        s.put("count", 1L);
        s.put("duration", duration);
        stats.put(type, s);
      } else {
        s.put("count", (Long) s.get("count") + 1);
        s.put("duration", (Long) s.get("duration") + duration);
      }
    }
    List<Map<String, Object>> roots = new ArrayList<>();
    for (Map<String, Object> node : nodes.values()) {
      Object parent = node.get("parent_id");
      Map<String, Object> p = parent == null ? null : nodes.get(String.valueOf(parent));
      if (p != null && p != node) {
        ((List<Map<String, Object>>) p.get("children")).add(node);
      } else {
        roots.add(node);
      }
    }
    Comparator<Map<String, Object>> byStart =
        Comparator.comparingLong(n -> (Long) ((Map<String, Object>) n.get("info")).get("started"));
    for (Map<String, Object> node : nodes.values()) {
      ((List<Map<String, Object>>) node.get("children")).sort(byStart);
    }
    roots.sort(byStart);
    Map<String, Object> total = new LinkedHashMap<>();
    total.put("name", "total");
    total.put("started", 0L);
    total.put("finished", startedAt == null ? null : msec(finishedAt - startedAt));
    total.put(
        "last_trace_started",
        startedAt == null || lastStartedAt == null ? null : msec(lastStartedAt - startedAt));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("info", total);
    report.put("children", roots);
    report.put("stats", stats);
    return report;
  }
}
