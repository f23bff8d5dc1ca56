package dev.weft.cli.internal;

import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft trace list}: one line per stored trace, its base_id and first timestamp. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List stored traces: base_id and the time of the first event.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed (possibly none)", "2:bad connection string or unreadable backend"},
    footer = {"%nExample:", "  weft trace list --connection-string file:///var/tmp/weft-traces"})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Source source = new Source();

  @Option(
      names = "--error-trace",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Only traces that contain an error (a stop event with etype). Also takes OSProfiler's"
              + " form, --error-trace True.")
  boolean errorsOnly;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<TraceSummary> traces;
    try (TraceReader reader = source.open()) {
      traces = reader.list(errorsOnly);
    } catch (Source.Failure f) {
      err.println("weft: " + f.getMessage());
      err.flush();
      return f.exitCode;
    } catch (Exception e) {
      err.println("weft: cannot read from " + source.redacted() + ": " + Source.redact(e));
      err.flush();
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    for (TraceSummary t : traces) {
      out.println(
          TreeView.clean(t.baseId())
              + "  "
              + (t.timestamp() == null ? "-" : TreeView.clean(t.timestamp())));
    }
    out.flush();
    if (traces.isEmpty()) {
      err.println("weft: no " + (errorsOnly ? "error " : "") + "traces in " + source.redacted());
      err.flush();
    }
    return 0;
  }
}
