package dev.weft.cli.internal;

import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft trace diff A B}: two traces of the same operation, span by span. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two traces of the same operation: which spans appeared, disappeared, got"
          + " slower or faster (by how many ms and %%), largest change first.",
      "",
      "Spans are aligned by their label path: the labels (without numbers and ids) from the"
          + " top-level span down to the span, with the span's place among same-labelled siblings"
          + " (#2, #3, ...) when a label repeats.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the comparison was written",
      "1:a trace was not found",
      "2:bad arguments or connection string, or the backend could not be read"
    },
    footer = {
      "%nExample:",
      "  weft trace diff 6f1c0e52-4b6b-4a8e-9d1e-2f3a4b5c6d7e 0b9e3d1a-5c7f-4e2b-8a6d-1f2e3d4c5b6a"
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Source source = new Source();

  @Parameters(index = "0", paramLabel = "A", description = "The base_id of the first trace.")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "The base_id of the second trace.")
  String b;

  @Option(
      names = "--html",
      description = "A self-contained HTML page instead of the terminal table.")
  boolean html;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Diff diff;
    try (TraceReader reader = source.open()) {
      diff = Diff.of(load(reader, a, err), load(reader, b, err));
    } catch (Source.Failure f) {
      err.println("weft: " + f.getMessage());
      err.flush();
      return f.exitCode;
    } catch (Exception e) {
      err.println("weft: cannot read from " + source.redacted() + ": " + Source.redact(e));
      err.flush();
      return 2;
    }
    try {
      Diff d = diff;
      Sink.emit(out, spec.commandLine().getOut(), false, sink -> write(d, sink));
    } catch (IOException e) {
      err.println("weft: cannot write " + out + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    return 0;
  }

  private void write(Diff diff, Sink sink) {
    if (html) {
      diff.html(sink);
    } else {
      diff.text(sink);
    }
  }

  private TraceModel load(TraceReader reader, String baseId, PrintWriter err) throws Exception {
    LoadedTrace t = LoadedTrace.load(baseId, reader.events(baseId), Limits.DEFAULT);
    for (String w : t.warnings()) {
      err.println("weft: " + w);
    }
    err.flush();
    if (t.isEmpty()) {
      throw new Source.Failure(
          1, "trace " + Text.visible(baseId) + " not found in " + source.redacted());
    }
    return t.model();
  }
}
