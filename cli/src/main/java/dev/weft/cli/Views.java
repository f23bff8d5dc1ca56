package dev.weft.cli;

import dev.weft.cli.internal.Analysis;
import dev.weft.cli.internal.HtmlView;
import dev.weft.cli.internal.Limits;
import dev.weft.cli.internal.LoadedTrace;
import dev.weft.cli.internal.TraceModel;
import dev.weft.cli.internal.TreeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The views of {@code weft trace show}, for programs that hold a trace's stored events themselves
 * (for example from {@link dev.weft.spi.TraceReader#events}). The text is exactly what {@code weft
 * trace show BASE_ID --html} or {@code --tree} prints for the same events with its default limits
 * (at most 256 levels of nesting, 100,000 spans and 128 MiB of events; see {@code weft trace show
 * --help}); what {@code weft trace show} would say on standard error about them is not reported.
 *
 * <pre>{@code
 * try (TraceReader r = Weft.reader("file:///var/tmp/weft-traces")) {
 *   Files.writeString(Path.of(baseId + ".html"), Views.html(baseId, r.events(baseId)));
 * }
 * }</pre>
 */
public final class Views {
  private Views() {}

  /**
   * The self-contained HTML page of a trace (inline style and script, no network reference). Events
   * that cannot be read are left out, as {@code weft trace show} does.
   *
   * @param baseId the trace's base_id (the page's title)
   * @param rawEvents the trace's stored events, as JSON text
   * @throws IllegalArgumentException when no event can be read
   */
  public static String html(String baseId, List<String> rawEvents) {
    return HtmlView.render(model(baseId, rawEvents));
  }

  /**
   * The indented terminal tree of a trace, as {@code weft trace show --tree} prints it.
   *
   * @throws IllegalArgumentException when no event can be read
   */
  public static String tree(String baseId, List<String> rawEvents) {
    return TreeView.render(model(baseId, rawEvents));
  }

  /**
   * Where a trace's time went, in three lines: the category shares of its self time and of its
   * critical path, as {@code weft trace show --tree} heads the tree, and the spans that hold the
   * most of the critical path (at most three):
   *
   * <pre>
   * Self time 20.8 ms: SQL 24 % · Redis 2 % · MongoDB 48 % · ...
   * Critical path 20 ms (spans marked *): SQL 25 % · Redis 2 % · MongoDB 50 % · ...
   * Most of the critical path: mongodb find messages 10 ms · db SELECT weft_queues 4.7 ms · ...
   * </pre>
   *
   * Stored text in the labels is escaped as the tree escapes it.
   *
   * @throws IllegalArgumentException when no event can be read
   */
  public static String bottleneck(String baseId, List<String> rawEvents) {
    Analysis a = Analysis.of(model(baseId, rawEvents));
    List<TraceModel.SpanNode> on = new ArrayList<>();
    for (TraceModel.SpanNode s : a.trace.spans) {
      if (a.criticalUs(s) > 0) {
        on.add(s);
      }
    }
    on.sort(Comparator.comparingLong((TraceModel.SpanNode s) -> a.criticalUs(s)).reversed());
    StringBuilder b = new StringBuilder();
    for (String l : TreeView.shareLines(a)) {
      b.append(l).append('\n');
    }
    b.append("Most of the critical path: ");
    for (int i = 0; i < Math.min(3, on.size()); i++) {
      b.append(i == 0 ? "" : " \u00b7 ")
          .append(dev.weft.cli.internal.Text.visible(a.label(on.get(i))))
          .append(' ')
          .append(TraceModel.ms(a.criticalUs(on.get(i))));
    }
    return b.append(on.isEmpty() ? "none\n" : "\n").toString();
  }

  private static TraceModel model(String baseId, List<String> rawEvents) {
    LoadedTrace trace = LoadedTrace.load(baseId, rawEvents, Limits.DEFAULT);
    if (trace.isEmpty()) {
      throw new IllegalArgumentException("no readable event in trace " + baseId);
    }
    return trace.model();
  }
}
