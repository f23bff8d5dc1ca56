package dev.weft.cli;

import dev.weft.cli.internal.HtmlView;
import dev.weft.cli.internal.Limits;
import dev.weft.cli.internal.LoadedTrace;
import dev.weft.cli.internal.TraceModel;
import dev.weft.cli.internal.TreeView;
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

  private static TraceModel model(String baseId, List<String> rawEvents) {
    LoadedTrace trace = LoadedTrace.load(baseId, rawEvents, Limits.DEFAULT);
    if (trace.isEmpty()) {
      throw new IllegalArgumentException("no readable event in trace " + baseId);
    }
    return trace.model();
  }
}
