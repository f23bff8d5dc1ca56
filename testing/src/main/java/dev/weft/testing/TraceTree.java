package dev.weft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Weft;
import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One stored trace as a tree of spans, for exact assertions in tests:
 *
 * <pre>{@code
 * TraceTree t = TraceTree.await("file:///tmp/traces", baseId, Duration.ofSeconds(10));
 * assertThat(t.render()).isEqualTo("""
 *     wsgi
 *       redis
 *     """);
 * }</pre>
 *
 * <p>A span is a {@code <name>-start} and a {@code <name>-stop} event with the same {@code
 * trace_id}; its children are the spans whose {@code parent_id} is that id, in order of their start
 * timestamps. The roots are the spans whose parent is not a span of the trace (for a trace started
 * by a signed request, the caller's span or the base_id). A span whose stop event is missing
 * renders as {@code name [no stop]}. Events that do not fit together (a stop without its start, a
 * span started twice, a stop whose name or parent differs from its start's) are listed by {@link
 * #problems()}.
 *
 * <p>To wait for a trace whose spans end in several threads or processes, {@link #awaitSettled}
 * reads until every span that started has stopped and every parent is known.
 */
public final class TraceTree {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One span of the tree. */
  public static final class Span {
    private final String id;
    private String name;
    private String parentId;
    private String started = "";
    private JsonNode startEvent;
    private JsonNode stopEvent;
    private JsonNode startInfo;
    private JsonNode stopInfo;
    private final List<Span> children = new ArrayList<>();

    Span(String id) {
      this.id = id;
    }

    /** The span's name (OSProfiler's point name): {@code wsgi}, {@code db}, {@code redis}, ... */
    public String name() {
      return name;
    }

    /** Its own id ({@code trace_id} in OSProfiler's events). */
    public String id() {
      return id;
    }

    /**
     * The id of its parent ({@code parent_id}): a span of the trace, the base_id, or a caller's.
     */
    public String parentId() {
      return parentId;
    }

    /**
     * The {@code service} that recorded the span, from its start event (from its stop event when
     * the start is missing); empty when the event has none.
     */
    public String service() {
      return (startEvent != null ? startEvent : stopEvent).path("service").asText();
    }

    /**
     * Its start event as stored, every field ({@code base_id}, {@code project}, {@code timestamp},
     * ...), or null when the start event is missing.
     */
    public JsonNode startEvent() {
      return startEvent;
    }

    /** Its stop event as stored, or null when the stop event is missing. */
    public JsonNode stopEvent() {
      return stopEvent;
    }

    /** The {@code info} of its start event, or null when the start event is missing. */
    public JsonNode startInfo() {
      return startInfo;
    }

    /** The {@code info} of its stop event, or null when the stop event is missing. */
    public JsonNode stopInfo() {
      return stopInfo;
    }

    /** Its children, in order of their start timestamps. */
    public List<Span> children() {
      return Collections.unmodifiableList(children);
    }

    /** The children's names, in order of their start timestamps. */
    public List<String> childNames() {
      List<String> out = new ArrayList<>();
      for (Span c : children) {
        out.add(c.name);
      }
      return out;
    }

    /**
     * The only child.
     *
     * @throws AssertionError unless the span has exactly one child
     */
    public Span only() {
      if (children.size() != 1) {
        StringBuilder b = new StringBuilder();
        b.append(name).append(" has ").append(children.size()).append(" children, not 1");
        for (Span c : children) {
          b.append("\n  ").append(c);
        }
        throw new AssertionError(b.toString());
      }
      return children.get(0);
    }

    /**
     * One line: {@code name [service] <start info> -> <stop info>}, {@code (no stop)} for a missing
     * stop event, e.g. {@code redis [queue-api] {"db":{...},"host":"h"} -> {"host":"h"}}.
     */
    @Override
    public String toString() {
      return name
          + " ["
          + service()
          + "] "
          + startInfo
          + " -> "
          + (stopEvent == null ? "(no stop)" : stopInfo);
    }
  }

  private final String baseId;
  private final List<Span> roots;
  private final List<JsonNode> events;
  private final List<String> problems;

  private TraceTree(String baseId, List<Span> roots, List<JsonNode> events, List<String> problems) {
    this.baseId = baseId;
    this.roots = roots;
    this.events = events;
    this.problems = problems;
  }

  /** Builds the tree of one trace from its events' JSON texts. */
  public static TraceTree of(String baseId, List<String> eventJson) {
    List<JsonNode> events = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Span> spans = new LinkedHashMap<>();
    for (String text : eventJson) {
      JsonNode e;
      try {
        e = JSON.readTree(text);
      } catch (IOException x) {
        throw new UncheckedIOException("not an event: " + text, x);
      }
      events.add(e);
      String event = e.path("name").asText();
      boolean start = event.endsWith("-start");
      if (!start && !event.endsWith("-stop")) {
        problems.add("an event that is neither a start nor a stop: " + text);
        continue;
      }
      Span s = spans.computeIfAbsent(e.path("trace_id").asText(), Span::new);
      if (start ? s.startEvent != null : s.stopEvent != null) {
        problems.add(
            "a second " + (start ? "start" : "stop") + " event of span " + s.id + ": " + text);
      } else if (start) {
        s.startEvent = e;
      } else {
        s.stopEvent = e;
      }
    }
    for (Span s : spans.values()) {
      if (s.startEvent != null) {
        String event = s.startEvent.path("name").asText();
        s.name = event.substring(0, event.length() - "-start".length());
        s.parentId = s.startEvent.path("parent_id").asText();
        s.started = s.startEvent.path("timestamp").asText();
        s.startInfo = s.startEvent.path("info");
      }
      if (s.stopEvent != null) {
        String event = s.stopEvent.path("name").asText();
        s.stopInfo = s.stopEvent.path("info");
        String parent = s.stopEvent.path("parent_id").asText();
        if (s.startEvent == null) {
          s.name = event.substring(0, event.length() - "-stop".length());
          s.parentId = parent;
          problems.add("a stop event without its start event: " + s.stopEvent);
        } else if (!event.equals(s.name + "-stop")) {
          problems.add("span " + s.id + " started as " + s.name + " and stopped as " + event);
        } else if (!parent.equals(s.parentId)) {
          problems.add(
              "span " + s.id + " started below " + s.parentId + " and stopped below " + parent);
        }
      }
    }
    List<Span> roots = new ArrayList<>();
    for (Span s : spans.values()) {
      Span parent = spans.get(s.parentId);
      if (parent == null || parent == s) {
        roots.add(s);
      } else {
        parent.children.add(s);
      }
    }
    Comparator<Span> byStart = Comparator.comparing(s -> s.started);
    roots.sort(byStart);
    for (Span s : spans.values()) {
      s.children.sort(byStart);
    }
    TraceTree t =
        new TraceTree(
            baseId,
            Collections.unmodifiableList(roots),
            Collections.unmodifiableList(events),
            problems);
    List<Span> reached = t.all();
    if (reached.size() < spans.size()) {
      List<String> lost = new ArrayList<>(spans.keySet());
      lost.removeAll(reached.stream().map(Span::id).toList());
      problems.add("spans whose parents form a cycle, below no root: " + lost);
    }
    return t;
  }

  /** Reads a trace from a store (a connection string as in {@code weft.connection_string}). */
  public static TraceTree read(String connectionString, String baseId) throws Exception {
    try (TraceReader r = Weft.reader(connectionString)) {
      return of(baseId, r.events(baseId));
    }
  }

  /**
   * Reads a trace once it is complete: every span has its stop event and the number of events has
   * not changed for three reads 200 ms apart (the collector writes asynchronously). Returns what is
   * there when {@code timeout} is up, which may be an empty tree.
   */
  public static TraceTree await(String connectionString, String baseId, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    TraceTree last = null;
    int stable = 0;
    while (true) {
      TraceTree t = read(connectionString, baseId);
      int n = t.eventCount();
      if (last != null && n == last.eventCount() && n > 0 && t.complete()) {
        if (++stable == 2) {
          return t;
        }
      } else {
        stable = 0;
      }
      last = t;
      if (System.nanoTime() > deadline) {
        return t;
      }
      Thread.sleep(200);
    }
  }

  /**
   * Reads a trace until it is settled ({@link #settled(Set)}): every span that started has stopped,
   * and every span's parent is the base_id, a span of the trace, or one of {@code externalParents}
   * (spans recorded elsewhere, e.g. by OSProfiler in a Python client). Each read follows a {@link
   * Weft#flush()}, so this JVM's queued spans are in it. A servlet span may end after its response
   * reached the client, and its events are stored when it ends: until then it shows only as its
   * children's missing parent. Returns what is there when {@code timeout} is up.
   */
  public static TraceTree awaitSettled(
      String connectionString, String baseId, Set<String> externalParents, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Weft.flush();
      TraceTree t = read(connectionString, baseId);
      if (t.settled(externalParents) || System.nanoTime() > deadline) {
        return t;
      }
      Thread.sleep(10);
    }
  }

  /**
   * Whether the trace is settled: it has a start event, every span that started has stopped, and
   * the parent of every start event is the base_id, a span that started in the trace, or one of
   * {@code externalParents}.
   */
  public boolean settled(Set<String> externalParents) {
    Set<String> starts = new TreeSet<>();
    Set<String> stops = new TreeSet<>();
    Set<String> parents = new TreeSet<>();
    for (JsonNode e : events) {
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
    return !starts.isEmpty() && starts.equals(stops) && starts.containsAll(parents);
  }

  /** The trace's base_id, as asked for. */
  public String baseId() {
    return baseId;
  }

  /** The spans whose parent is not a span of the trace, in order of their start timestamps. */
  public List<Span> roots() {
    return roots;
  }

  /**
   * The only root span.
   *
   * @throws AssertionError unless the trace has exactly one root
   */
  public Span root() {
    if (roots.size() != 1) {
      throw new AssertionError(
          "trace " + baseId + " has " + roots.size() + " roots, not 1:\n" + render(Span::toString));
    }
    return roots.get(0);
  }

  /** The number of events read. */
  public int eventCount() {
    return events.size();
  }

  /** Every event read, parsed, in the order read (the store's order). */
  public List<JsonNode> events() {
    return events;
  }

  /** The names of the spans in the trace, sorted, each once. */
  public SortedSet<String> names() {
    SortedSet<String> out = new TreeSet<>();
    for (Span s : all()) {
      out.add(s.name);
    }
    return out;
  }

  /**
   * What does not fit together in the events, one sentence each, empty for a well-formed trace: an
   * event that is neither a {@code -start} nor a {@code -stop}, a span's second start or stop
   * event, a stop event without its start, a stop whose name or {@code parent_id} differs from its
   * start's, spans whose parents form a cycle. A missing stop event is not a problem here (see
   * {@link #complete()}).
   */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** Whether every span has its stop event. */
  public boolean complete() {
    for (Span s : all()) {
      if (s.stopInfo == null || s.startInfo == null) {
        return false;
      }
    }
    return true;
  }

  /** Every span, depth first. */
  public List<Span> all() {
    List<Span> out = new ArrayList<>();
    for (Span r : roots) {
      collect(r, out);
    }
    return out;
  }

  private static void collect(Span s, List<Span> out) {
    out.add(s);
    for (Span c : s.children) {
      collect(c, out);
    }
  }

  /** One line per span, its name indented two spaces per level, each line ending in a newline. */
  public String render() {
    return render(Span::name);
  }

  /** As {@link #render()}, with each span's line made by {@code label}. */
  public String render(Function<Span, String> label) {
    StringBuilder b = new StringBuilder();
    for (Span r : roots) {
      render(r, 0, label, b);
    }
    return b.toString();
  }

  private static void render(Span s, int depth, Function<Span, String> label, StringBuilder b) {
    b.append("  ".repeat(depth)).append(label.apply(s));
    if (s.stopInfo == null) {
      b.append(" [no stop]");
    }
    b.append('\n');
    for (Span c : s.children) {
      render(c, depth + 1, label, b);
    }
  }

  /**
   * A label showing the start info without {@code host} (which differs per machine), e.g. {@code
   * redis {"db":{"system":"redis","operation":"GET","key":"item:1"}}}.
   */
  public static String nameAndInfo(Span s) {
    if (s.startInfo == null || !s.startInfo.isObject()) {
      return s.name;
    }
    com.fasterxml.jackson.databind.node.ObjectNode info = s.startInfo.deepCopy();
    info.remove("host");
    return info.isEmpty() ? s.name : s.name + " " + info;
  }

  @Override
  public String toString() {
    return render();
  }
}
