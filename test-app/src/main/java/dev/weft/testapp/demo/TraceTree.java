package dev.weft.testapp.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.report.ReportBuilder;
import dev.weft.spi.TraceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a trace as an indented tree, one line per span: name, service, start..finish in ms from
 * the trace's start, and what the span recorded (start info, then stop info), host left out.
 *
 * <pre>
 * QueueClient.postMessages [client] 0..41 ms function.name=...QueueClient.postMessages
 * └─ wsgi [queue-api] 3..38 ms request.method=POST request.path=/v2/queues/q1/messages ...
 * </pre>
 */
public final class TraceTree {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LINE = 200;

  private TraceTree() {}

  /** OSProfiler's report of a stored trace, built from its events. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> report(TraceReader reader, String baseId) throws Exception {
    return report(reader.events(baseId));
  }

  /** OSProfiler's report of a trace's stored events (JSON text, oldest first). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> report(List<String> rawEvents) throws Exception {
    List<Map<String, Object>> events = new ArrayList<>();
    for (String e : rawEvents) {
      events.add(JSON.readValue(e, Map.class));
    }
    return new ReportBuilder().addAll(events).build();
  }

  /** The tree of a report, one line per node; empty when the report has no node. */
  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> report) {
    StringBuilder sb = new StringBuilder();
    List<Map<String, Object>> roots = (List<Map<String, Object>>) report.get("children");
    for (Map<String, Object> root : roots) {
      node(sb, root, "", "");
    }
    return sb.toString();
  }

  /** How many spans a report holds. */
  @SuppressWarnings("unchecked")
  public static int count(Map<String, Object> report) {
    int n = 0;
    for (Map<String, Object> c : (List<Map<String, Object>>) report.get("children")) {
      n += 1 + count(c);
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static void node(StringBuilder sb, Map<String, Object> node, String lead, String next) {
    Map<String, Object> info = (Map<String, Object>) node.get("info");
    String name = String.valueOf(info.get("name"));
    StringBuilder line = new StringBuilder(lead);
    line.append(name)
        .append(" [")
        .append(info.get("service"))
        .append("] ")
        .append(info.get("started"))
        .append("..")
        .append(info.get("finished"))
        .append(" ms");
    StringBuilder details = new StringBuilder();
    flatten(details, "", payloadInfo(info, name + "-start"));
    flatten(details, "", payloadInfo(info, name + "-stop"));
    if (details.length() > 0) {
      line.append(' ').append(details.toString().trim());
    }
    if (line.length() > MAX_LINE) {
      line.setLength(MAX_LINE - 3);
      line.append("...");
    }
    sb.append(line).append('\n');
    List<Map<String, Object>> children = (List<Map<String, Object>>) node.get("children");
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      node(sb, children.get(i), next + (last ? "└─ " : "├─ "), next + (last ? "   " : "│  "));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> payloadInfo(Map<String, Object> info, String event) {
    Object payload = info.get("meta.raw_payload." + event);
    if (payload instanceof Map) {
      Object i = ((Map<String, Object>) payload).get("info");
      if (i instanceof Map) {
        return (Map<String, Object>) i;
      }
    }
    return Map.of();
  }

  @SuppressWarnings("unchecked")
  private static void flatten(StringBuilder sb, String prefix, Map<String, Object> m) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (prefix.isEmpty() && e.getKey().equals("host")) {
        continue;
      }
      if (e.getValue() instanceof Map) {
        flatten(sb, prefix + e.getKey() + ".", (Map<String, Object>) e.getValue());
      } else {
        sb.append(' ').append(prefix).append(e.getKey()).append('=').append(e.getValue());
      }
    }
  }
}
