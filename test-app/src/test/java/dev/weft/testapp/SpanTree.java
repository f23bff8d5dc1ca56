package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spans of one stored trace (memory:// collector), joined from their start and stop events:
 * name, ids, service, project, start and stop info, children in start order.
 */
final class SpanTree {
  /** One span: its start and stop events. */
  static final class Span {
    final JsonNode start;
    JsonNode stop;
    final List<Span> children = new ArrayList<>();

    Span(JsonNode start) {
      this.start = start;
    }

    String name() {
      String n = start.path("name").asText();
      return n.substring(0, n.length() - "-start".length());
    }

    String traceId() {
      return start.path("trace_id").asText();
    }

    String parentId() {
      return start.path("parent_id").asText();
    }

    String service() {
      return start.path("service").asText();
    }

    JsonNode startInfo() {
      return start.path("info");
    }

    JsonNode stopInfo() {
      return stop.path("info");
    }

    /** The only child; fails unless there is exactly one. */
    Span only() {
      assertThat(children).as("children of " + name()).hasSize(1);
      return children.get(0);
    }

    /** The children's names, in start order. */
    List<String> childNames() {
      List<String> out = new ArrayList<>();
      children.forEach(c -> out.add(c.name()));
      return out;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      dump(sb, "");
      return sb.toString();
    }

    private void dump(StringBuilder sb, String indent) {
      sb.append(indent)
          .append(name())
          .append(" [")
          .append(service())
          .append("] ")
          .append(startInfo())
          .append(" -> ")
          .append(stop == null ? "(open)" : stopInfo())
          .append('\n');
      children.forEach(c -> c.dump(sb, indent + "  "));
    }
  }

  final String baseId;
  final List<JsonNode> events;
  final Map<String, Span> byId = new LinkedHashMap<>();
  final List<Span> roots = new ArrayList<>();

  private SpanTree(String baseId, List<JsonNode> events) {
    this.baseId = baseId;
    this.events = events;
    for (JsonNode e : events) {
      String name = e.path("name").asText();
      String id = e.path("trace_id").asText();
      if (name.endsWith("-start")) {
        assertThat(byId).as("span ids are unique").doesNotContainKey(id);
        byId.put(id, new Span(e));
      }
    }
    for (JsonNode e : events) {
      String name = e.path("name").asText();
      if (name.endsWith("-stop")) {
        Span s = byId.get(e.path("trace_id").asText());
        assertThat(s).as("start event of " + e).isNotNull();
        assertThat(name).isEqualTo(s.name() + "-stop");
        assertThat(e.path("parent_id")).isEqualTo(s.start.path("parent_id"));
        s.stop = e;
      }
    }
    for (Span s : byId.values()) {
      Span parent = byId.get(s.parentId());
      if (parent != null) {
        parent.children.add(s);
      } else {
        roots.add(s);
      }
    }
    for (Span s : byId.values()) {
      s.children.sort(
          (a, b) ->
              a.start.path("timestamp").asText().compareTo(b.start.path("timestamp").asText()));
    }
  }

  /** The events of {@code baseId} stored so far. */
  static List<JsonNode> stored(String baseId) {
    Weft.flush();
    List<JsonNode> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (e.baseId().equals(baseId)) {
        out.add(json(e.json()));
      }
    }
    return out;
  }

  /**
   * The trace once it is whole: every span that started has stopped, and every span's parent is
   * either the trace's base_id or a span in it. A servlet span ends after its response may have
   * reached the client, and a span's events are stored when it ends, so an unfinished servlet span
   * shows only as its children's missing parent; the trace is read until none is missing (a 10 s
   * guard against a hang).
   */
  static SpanTree settled(String baseId) throws InterruptedException {
    return settled(baseId, Set.of());
  }

  /**
   * {@link #settled(String)} for a trace some of whose spans hang below spans recorded elsewhere
   * (another process's, e.g. OSProfiler's in a Python client): {@code externalParents}.
   */
  static SpanTree settled(String baseId, Set<String> externalParents) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<JsonNode> ev = stored(baseId);
      Set<String> starts = new TreeSet<>();
      Set<String> stops = new TreeSet<>();
      Set<String> parents = new TreeSet<>();
      for (JsonNode e : ev) {
        String n = e.path("name").asText();
        if (n.endsWith("-start")) {
          starts.add(e.path("trace_id").asText());
          parents.add(e.path("parent_id").asText());
        } else if (n.endsWith("-stop")) {
          stops.add(e.path("trace_id").asText());
        }
      }
      parents.remove(baseId);
      parents.removeAll(externalParents);
      boolean whole = !starts.isEmpty() && starts.equals(stops) && starts.containsAll(parents);
      if (whole || System.nanoTime() > deadline) {
        return new SpanTree(baseId, ev);
      }
      Thread.sleep(5);
    }
  }

  /** The only root span; fails unless there is exactly one. */
  Span root() {
    assertThat(roots).as("roots of " + baseId + "\n" + roots).hasSize(1);
    return roots.get(0);
  }

  /** The set of span names in the trace. */
  Set<String> names() {
    Set<String> out = new TreeSet<>();
    byId.values().forEach(s -> out.add(s.name()));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    roots.forEach(sb::append);
    return sb.toString();
  }
}
