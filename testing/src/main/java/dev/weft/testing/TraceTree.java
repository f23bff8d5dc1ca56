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
 * renders as {@code name [no stop]}.
 */
public final class TraceTree {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One span of the tree. */
  public static final class Span {
    private final String id;
    private String name;
    private String parentId;
    private String started = "";
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

    public String parentId() {
      return parentId;
    }

    /** The {@code info} of its start event, or null when the start event is missing. */
    public JsonNode startInfo() {
      return startInfo;
    }

    /** The {@code info} of its stop event, or null when the stop event is missing. */
    public JsonNode stopInfo() {
      return stopInfo;
    }

    public List<Span> children() {
      return Collections.unmodifiableList(children);
    }
  }

  private final String baseId;
  private final List<Span> roots;
  private final int events;

  private TraceTree(String baseId, List<Span> roots, int events) {
    this.baseId = baseId;
    this.roots = roots;
    this.events = events;
  }

  /** Builds the tree of one trace from its events' JSON texts. */
  public static TraceTree of(String baseId, List<String> eventJson) {
    Map<String, Span> spans = new LinkedHashMap<>();
    for (String text : eventJson) {
      JsonNode e;
      try {
        e = JSON.readTree(text);
      } catch (IOException x) {
        throw new UncheckedIOException("not an event: " + text, x);
      }
      String event = e.path("name").asText();
      Span s = spans.computeIfAbsent(e.path("trace_id").asText(), Span::new);
      if (event.endsWith("-start")) {
        s.name = event.substring(0, event.length() - "-start".length());
        s.parentId = e.path("parent_id").asText();
        s.started = e.path("timestamp").asText();
        s.startInfo = e.path("info");
      } else if (event.endsWith("-stop")) {
        if (s.name == null) {
          s.name = event.substring(0, event.length() - "-stop".length());
          s.parentId = e.path("parent_id").asText();
        }
        s.stopInfo = e.path("info");
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
    return new TraceTree(baseId, roots, eventJson.size());
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
      if (last != null && t.events == last.events && t.events > 0 && t.complete()) {
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

  public String baseId() {
    return baseId;
  }

  public List<Span> roots() {
    return Collections.unmodifiableList(roots);
  }

  /** The number of events read. */
  public int eventCount() {
    return events;
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
