package dev.weft.cli.internal;

import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft trace show BASE_ID}: one trace as JSON, a terminal tree, an HTML page or DOT. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show one trace.",
      "",
      "The tree, HTML and DOT views label each span with what it did (db SELECT weft_queues,"
          + " redis GET queue:1, http PUT host/path, ...), give its self time (its duration"
          + " minus the time its children ran), mark the critical path (the chain of spans the"
          + " end-to-end time waits on) and head the trace with the category shares of the self"
          + " time and of the critical path (SQL, Redis, MongoDB, pool wait, HTTP out, entry,"
          + " app). --analysis gives the same numbers as JSON.",
      "",
      "A span whose parent is not in the trace is shown at the top level, as OSProfiler does."
          + " Spans whose parents form a cycle are shown too: each cycle is cut at its span"
          + " with the earliest event (the first stored on a tie), which is shown at the top"
          + " level, and standard error says how many spans were in cycles.",
      "",
      "Stored text is shown safely: control characters (C0, DEL, C1), bidirectional-text"
          + " controls and U+2028/U+2029 appear as \\uXXXX escapes in the tree, HTML and DOT"
          + " views; --json escapes as Python's json.dumps does. An event that is not JSON, or"
          + " is nested more than "
          + EventParser.MAX_NESTING
          + " levels deep, is skipped as unreadable.",
      "",
      "When a trace reaches one of the limits below, standard error says so.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the trace was written",
      "1:the trace was not found",
      "2:bad arguments or connection string, or the backend could not be read"
    },
    footer = {
      "%nExample:",
      "  weft trace show 6f1c0e52-4b6b-4a8e-9d1e-2f3a4b5c6d7e --html --out trace.html"
    })
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Source source = new Source();

  @Parameters(index = "0", paramLabel = "BASE_ID", description = "The trace's base_id.")
  String baseId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Format format;

  static final class Format {
    @Option(
        names = "--json",
        required = true,
        description = "OSProfiler's report, as osprofiler trace show --json prints it.")
    boolean json;

    @Option(names = "--tree", required = true, description = "An indented tree for a terminal.")
    boolean tree;

    @Option(
        names = "--html",
        required = true,
        description = "A self-contained HTML page with a waterfall of the spans.")
    boolean html;

    @Option(names = "--dot", required = true, description = "A Graphviz DOT graph.")
    boolean dot;

    @Option(
        names = "--analysis",
        required = true,
        description =
            "Where the time went, as JSON: per span its label, self time and whether it is on"
                + " the critical path; per trace the category shares of the self time and of the"
                + " critical path. (--json stays OSProfiler's report.)")
    boolean analysis;
  }

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path out;

  @Option(
      names = "--max-depth",
      paramLabel = "N",
      defaultValue = "" + Limits.DEFAULT_MAX_DEPTH,
      description = {
        "Show at most N levels of nesting (default: ${DEFAULT-VALUE}; a top-level span is level"
            + " 1). All descendants of a span at level N-1 are listed flat at level N, in tree"
            + " order, in every view (--json too)."
      })
  int maxDepth;

  @Option(
      names = "--max-spans",
      paramLabel = "N",
      defaultValue = "" + Limits.DEFAULT_MAX_SPANS,
      description =
          "Read at most N spans, the first stored; the events of later spans are left out"
              + " (default: ${DEFAULT-VALUE}).")
  int maxSpans;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      defaultValue = "" + Limits.DEFAULT_MAX_BYTES,
      description =
          "Read at most N bytes of stored events, oldest first (default: ${DEFAULT-VALUE}).")
  long maxBytes;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String below1 =
        maxDepth < 1
            ? "--max-depth"
            : maxSpans < 1 ? "--max-spans" : maxBytes < 1 ? "--max-bytes" : null;
    if (below1 != null) {
      throw new ParameterException(spec.commandLine(), below1 + " must be at least 1");
    }
    try {
      TraceModel model = null;
      LoadedTrace trace = load(err);
      if (!format.json) {
        model = trace.model();
      }
      TraceModel m = model;
      Sink.emit(out, spec.commandLine().getOut(), true, sink -> write(trace, m, sink));
      return 0;
    } catch (Source.Failure f) {
      err.println("weft: " + f.getMessage());
      err.flush();
      return f.exitCode;
    } catch (IOException e) {
      err.println("weft: cannot write " + out + ": " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private LoadedTrace load(PrintWriter err) {
    List<String> raw;
    try (TraceReader reader = source.open()) {
      raw = reader.events(baseId);
    } catch (Source.Failure f) {
      throw f;
    } catch (Exception e) {
      throw new Source.Failure(
          2, "cannot read from " + source.redacted() + ": " + Source.redact(e));
    }
    LoadedTrace trace = LoadedTrace.load(baseId, raw, new Limits(maxDepth, maxSpans, maxBytes));
    for (String w : trace.warnings()) {
      err.println("weft: " + w);
    }
    err.flush();
    if (trace.isEmpty()) {
      throw new Source.Failure(
          1, "trace " + Text.visible(baseId) + " not found in " + source.redacted());
    }
    return trace;
  }

  private void write(LoadedTrace trace, TraceModel model, Sink sink) {
    if (format.json) {
      PyJson.write(trace.report, 2, sink);
    } else if (format.tree) {
      TreeView.render(model, sink);
    } else if (format.html) {
      HtmlView.render(model, sink);
    } else if (format.analysis) {
      PyJson.write(Analysis.of(model).toJson(), 2, sink);
    } else {
      DotView.render(model, sink);
    }
  }
}
