package dev.weft.cli.internal;

import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import dev.weft.spi.TraceReader.TraceSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft trace stats}: per span label, over many traces, the count, total and self time,
 * percentiles of the duration and the error rate, and the slowest traces. Traces are read one at a
 * time ({@link TraceReader#events}) and folded into {@link Stats}, whose memory does not depend on
 * how many traces there are; only the store's list of trace ids and first-event times is held
 * whole.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Statistics per span label over many traces: count, total and self time, p50/p95/p99 of"
          + " the duration, errors; the category shares of all self time; the slowest traces.",
      "",
      "Spans are grouped by their label without numbers and ids (db SELECT weft_queues,"
          + " redis GET queue:?, http PUT 127.0.0.1/v2/queues/demo-?). Percentiles are within 1 %%"
          + " (nearest rank, HdrHistogram with 2 significant digits). Traces are read one at a"
          + " time, each within the limits of weft trace show.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the statistics were written (possibly over no trace)",
      "2:bad arguments or connection string, or the backend could not be read"
    },
    footer = {
      "%nExamples:",
      "  weft trace stats --since 1h",
      "  weft trace stats --last 1000 --service queues-api --name \"db \" --html -o stats.html"
    })
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Source source = new Source();

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = {
        "Only traces whose first event is at or after TIME: an ISO time (2025-03-14T09:00:00,"
            + " UTC unless it has an offset such as +02:00 or Z; or a date) or a duration before"
            + " now (90s, 15m, 1h, 2d, or ISO PT1H30M)."
      })
  String since;

  @Option(
      names = "--last",
      paramLabel = "N",
      description = "Only the N traces with the latest first events.")
  Integer last;

  @Option(
      names = "--service",
      paramLabel = "S",
      description = "Only spans of service S (and traces that have one).")
  String service;

  @Option(
      names = "--name",
      paramLabel = "PREFIX",
      description =
          "Only spans whose label (without numbers and ids) starts with PREFIX, such as \"db"
              + " SELECT\" or redis.")
  String name;

  @Option(
      names = "--slowest",
      paramLabel = "N",
      defaultValue = "10",
      description = "List the N slowest traces (default: ${DEFAULT-VALUE}).")
  int slowest;

  @Option(
      names = "--max-labels",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Keep at most N labels; spans of others are counted together as \""
              + Stats.OTHER
              + "\" (default: ${DEFAULT-VALUE}).")
  int maxLabels;

  @ArgGroup(exclusive = true)
  Format format;

  static final class Format {
    @Option(names = "--json", required = true, description = "The statistics as JSON.")
    boolean json;

    @Option(
        names = "--html",
        required = true,
        description = "A self-contained HTML page with a chart (inline SVG) and the tables.")
    boolean html;
  }

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (last != null && last < 1) {
      throw new ParameterException(spec.commandLine(), "--last must be at least 1");
    }
    if (slowest < 0 || maxLabels < 1) {
      throw new ParameterException(
          spec.commandLine(),
          slowest < 0 ? "--slowest must be at least 0" : "--max-labels must be at least 1");
    }
    Long sinceUs = since == null ? null : since(since, Instant.now());
    if (since != null && sinceUs == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--since takes an ISO time (2025-03-14T09:00:00, 2025-03-14) or a duration (90s, 15m,"
              + " 1h, 2d, PT1H), not '"
              + since
              + "'");
    }
    Stats st = new Stats(service, name, slowest, maxLabels);
    try (TraceReader reader = source.open()) {
      for (TraceSummary t : select(reader.list(false), sinceUs)) {
        List<String> raw;
        try {
          raw = reader.events(t.baseId());
        } catch (Exception e) {
          st.unreadable();
          continue;
        }
        LoadedTrace trace = LoadedTrace.load(t.baseId(), raw, Limits.DEFAULT);
        if (trace.isEmpty()) {
          st.unreadable();
          continue;
        }
        st.add(trace.model(), t.timestamp());
      }
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
      Stats s = st;
      Sink.emit(out, spec.commandLine().getOut(), true, sink -> write(s, sink));
    } catch (IOException e) {
      err.println("weft: cannot write " + out + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    return 0;
  }

  private void write(Stats st, Sink sink) {
    if (format != null && format.json) {
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("since", since);
      filters.put("last", last == null ? null : (long) last);
      filters.put("service", service);
      filters.put("name", name);
      PyJson.write(st.toJson(filters), 2, sink);
    } else if (format != null && format.html) {
      StatsView.html(st, source.redacted(), sink);
    } else {
      StatsView.text(st, source.redacted(), sink);
    }
  }

  /**
   * The traces to read, in the store's order: those whose first event is at or after {@code
   * sinceUs} (all when null), and of them the {@code --last} ones with the latest first events,
   * kept in a heap of that size.
   */
  private List<TraceSummary> select(List<TraceSummary> all, Long sinceUs) {
    if (sinceUs == null && last == null) {
      return all;
    }
    List<TraceSummary> kept = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (TraceSummary t : all) {
      long ts = time(t.timestamp());
      if (sinceUs != null && (ts == Long.MIN_VALUE || ts < sinceUs)) {
        continue;
      }
      kept.add(t);
      times.add(ts);
    }
    if (last == null || kept.size() <= last) {
      return kept;
    }
    // The root is the earliest of the latest kept; ties keep the one listed later.
    Comparator<Integer> byTime =
        Comparator.<Integer>comparingLong(times::get).thenComparing(Comparator.naturalOrder());
    PriorityQueue<Integer> heap = new PriorityQueue<>(last + 1, byTime);
    for (int i = 0; i < kept.size(); i++) {
      heap.add(i);
      if (heap.size() > last) {
        heap.poll();
      }
    }
    List<Integer> idx = new ArrayList<>(heap);
    idx.sort(byTime);
    List<TraceSummary> outList = new ArrayList<>(idx.size());
    for (int i : idx) {
      outList.add(kept.get(i));
    }
    return outList;
  }

  private static long time(String ts) {
    if (ts == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Event.parseTimestamp(ts);
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

  /**
   * Epoch microseconds (UTC) of a {@code --since} value, or null when it is neither a time nor a
   * duration.
   */
  static Long since(String v, Instant now) {
    String s = v.trim();
    Matcher m = SHORT_DURATION.matcher(s);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      ChronoUnit unit =
          switch (m.group(2)) {
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            default -> ChronoUnit.WEEKS;
          };
      try {
        return micros(
            now.minus(Duration.ofSeconds(Math.multiplyExact(n, unit.getDuration().getSeconds()))));
      } catch (ArithmeticException | java.time.DateTimeException e) {
        return null;
      }
    }
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return micros(now.minus(Duration.parse(s)));
      }
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
    try {
      return micros(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      // not with an offset
    }
    try {
      return micros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // not a local time
    }
    try {
      return micros(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }
}
