package dev.weft.cli.internal;

import dev.weft.report.ReportBuilder;
import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft trace show BASE_ID}: one trace as JSON, a terminal tree, an HTML page or DOT. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show one trace.",
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
  }

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      String text = render();
      if (out != null) {
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } else {
        PrintWriter w = spec.commandLine().getOut();
        w.print(text);
        if (!text.endsWith("\n")) {
          w.println();
        }
        w.flush();
      }
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

  private String render() {
    List<String> raw;
    try (TraceReader reader = source.open()) {
      raw = reader.events(baseId);
    } catch (Source.Failure f) {
      throw f;
    } catch (Exception e) {
      throw new Source.Failure(
          2, "cannot read from " + source.redacted() + ": " + Source.redact(e));
    }
    EventParser.Parsed parsed = EventParser.parse(raw);
    if (parsed.skipped() > 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "weft: skipped "
              + parsed.skipped()
              + " unreadable event"
              + (parsed.skipped() == 1 ? "" : "s")
              + " of trace "
              + TreeView.clean(baseId));
      err.flush();
    }
    ReportBuilder builder = new ReportBuilder().addAll(parsed.events());
    if (builder.isEmpty()) {
      throw new Source.Failure(
          1, "trace " + TreeView.clean(baseId) + " not found in " + source.redacted());
    }
    Map<String, Object> report = builder.build();
    if (format.json) {
      return PyJson.dumps(report);
    }
    TraceModel model = TraceModel.of(baseId, report);
    if (format.tree) {
      return TreeView.render(model);
    }
    if (format.html) {
      return HtmlView.render(model);
    }
    return DotView.render(model);
  }
}
