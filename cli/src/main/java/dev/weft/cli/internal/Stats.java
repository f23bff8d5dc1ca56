package dev.weft.cli.internal;

import dev.weft.cli.internal.TraceModel.SpanNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;

/**
 * Statistics over many traces, fed one trace at a time ({@link #add}) and kept in memory that does
 * not grow with the number of traces: per span label ({@link Label#key}, the label without numbers
 * and ids) a count, the total and self time, the number of errors and a histogram of durations; the
 * category shares of all self time; and the slowest traces, in a heap of fixed size.
 *
 * <p>Percentiles come from an HdrHistogram with two significant decimal digits, one per label: the
 * p-th percentile is the value of rank ⌈p·n/100⌉ among the n recorded durations (nearest rank),
 * reported as the highest value of the histogram bucket that holds it, so it is at most 1 % above
 * the exact value and never below it. A histogram grows with the longest duration it holds, not
 * with the number: about 5 KB up to a millisecond, 15 KB up to a second, 21 KB up to a minute, 27
 * KB up to an hour. At most {@code maxLabels} labels are kept (1,000 by default in {@code weft
 * trace stats}: at most about 30 MB); spans of further labels are counted in one row, {@value
 * #OTHER}.
 */
public final class Stats {
  /** The row that spans of labels past the limit go to. */
  public static final String OTHER = "(other labels)";

  /** Significant decimal digits of the duration histograms. */
  public static final int DIGITS = 2;

  /** One label's numbers. */
  public static final class Row {
    public final String label;
    public final Analysis.Category category;
    public long count;
    public long totalUs;
    public long selfUs;
    public long errors;
    public final Histogram durations = new Histogram(DIGITS);

    Row(String label, Analysis.Category category) {
      this.label = label;
      this.category = category;
    }

    /** The nearest-rank percentile of the durations, in microseconds (0 when none). */
    public long percentileUs(double p) {
      return durations.getTotalCount() == 0 ? 0 : durations.getValueAtPercentile(p);
    }
  }

  /** One of the slowest traces. */
  public record Slow(
      String baseId, String timestamp, long totalUs, int spans, int errors, String root) {}

  private final int maxLabels;
  private final int slowest;
  private final String service;
  private final String namePrefix;
  private final Map<String, Row> rows = new HashMap<>();
  private final PriorityQueue<Slow> slow;
  private final long[] selfByCategory = new long[Analysis.Category.values().length];
  private long traces;
  private long spans;
  private long unreadable;
  private String from;
  private String to;

  /**
   * @param service only spans of this service, or null for all
   * @param namePrefix only spans whose {@link Label#key} starts with this, or null for all
   * @param slowest how many of the slowest traces to keep
   * @param maxLabels how many labels to keep rows for
   */
  public Stats(String service, String namePrefix, int slowest, int maxLabels) {
    this.service = service;
    this.namePrefix = namePrefix;
    this.slowest = slowest;
    this.maxLabels = maxLabels;
    // The root of the heap is the fastest of the slowest kept, to be replaced first.
    this.slow = new PriorityQueue<>(Math.max(1, slowest + 1), SLOWEST_FIRST.reversed());
  }

  /** Slowest first; on a tie, by base_id. */
  static final Comparator<Slow> SLOWEST_FIRST =
      Comparator.comparingLong(Slow::totalUs).reversed().thenComparing(Slow::baseId);

  /** Counts a trace that could not be read or has no readable event. */
  public void unreadable() {
    unreadable++;
  }

  /**
   * Adds one trace's selected spans; a trace none of whose spans is selected is not counted.
   *
   * @param timestamp the trace's first event as the store lists it, or null
   */
  public void add(TraceModel trace, String timestamp) {
    Analysis a = Analysis.of(trace);
    int selected = 0;
    int errors = 0;
    for (SpanNode s : trace.spans) {
      if (service != null && !service.equals(s.service)) {
        continue;
      }
      String key = Label.key(s);
      if (namePrefix != null && !key.startsWith(namePrefix)) {
        continue;
      }
      selected++;
      Row r = rows.get(key);
      if (r == null) {
        if (rows.size() < maxLabels) {
          r = new Row(key, a.category(s));
          rows.put(key, r);
        } else {
          r = rows.computeIfAbsent(OTHER, k -> new Row(k, Analysis.Category.APP));
        }
      }
      r.count++;
      if (s.isError()) {
        r.errors++;
        errors++;
      }
      if (s.finished && s.startEvent != null) {
        long d = Math.max(0, s.durationUs());
        r.totalUs += d;
        r.durations.recordValue(d);
      }
      long self = a.selfUs(s);
      r.selfUs += self;
      selfByCategory[a.category(s).ordinal()] += self;
    }
    if (selected == 0) {
      return;
    }
    traces++;
    spans += selected;
    if (timestamp != null) {
      from = from == null || timestamp.compareTo(from) < 0 ? timestamp : from;
      to = to == null || timestamp.compareTo(to) > 0 ? timestamp : to;
    }
    if (slowest > 0) {
      String root = trace.roots.isEmpty() ? "-" : a.label(trace.roots.get(0));
      slow.add(new Slow(trace.baseId, timestamp, trace.totalUs, selected, errors, root));
      if (slow.size() > slowest) {
        slow.poll();
      }
    }
  }

  public long traces() {
    return traces;
  }

  public long spans() {
    return spans;
  }

  public long unreadableTraces() {
    return unreadable;
  }

  /** The earliest and latest first-event timestamps of the traces counted, or null. */
  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  /** The rows, most self time first (then most total time, then by label). */
  public List<Row> rows() {
    List<Row> out = new ArrayList<>(rows.values());
    out.sort(
        Comparator.comparingLong((Row r) -> r.selfUs)
            .reversed()
            .thenComparing(Comparator.comparingLong((Row r) -> r.totalUs).reversed())
            .thenComparing(r -> r.label));
    return out;
  }

  /** The slowest traces, slowest first. */
  public List<Slow> slowest() {
    List<Slow> out = new ArrayList<>(slow);
    out.sort(SLOWEST_FIRST);
    return out;
  }

  /** The category shares of all self time counted, as {@link Analysis#shares} words them. */
  public String shares() {
    String[] p = Analysis.percents(selfByCategory);
    StringBuilder b = new StringBuilder();
    for (Analysis.Category c : Analysis.Category.values()) {
      if (p[c.ordinal()] != null) {
        b.append(b.length() == 0 ? "" : " \u00b7 ").append(c.title).append(' ');
        b.append(p[c.ordinal()]);
      }
    }
    return b.length() == 0 ? "none" : b.toString();
  }

  public long selfUs(Analysis.Category c) {
    return selfByCategory[c.ordinal()];
  }

  /** The error rate of a row as shown: {@code 0 %}, {@code 12.5 %}. */
  static String errorRate(Row r) {
    if (r.errors == 0) {
      return "0 %";
    }
    long permille = (r.errors * 2000 + r.count) / (2 * r.count);
    return java.math.BigDecimal.valueOf(permille, 1).stripTrailingZeros().toPlainString() + " %";
  }

  /** Everything as a JSON value for {@link PyJson}; times in milliseconds. */
  public Map<String, Object> toJson(Map<String, Object> filters) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traces", traces);
    m.put("spans", spans);
    m.put("unreadable_traces", unreadable);
    m.put("from", from);
    m.put("to", to);
    m.put("filters", filters);
    Map<String, Object> shares = new LinkedHashMap<>();
    long whole = 0;
    for (long v : selfByCategory) {
      whole += v;
    }
    for (Analysis.Category c : Analysis.Category.values()) {
      long v = selfByCategory[c.ordinal()];
      shares.put(c.key, whole <= 0 ? 0.0 : Math.round(v * 10_000.0 / whole) / 10_000.0);
    }
    m.put("self_shares", shares);
    List<Object> labels = new ArrayList<>();
    for (Row r : rows()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("label", r.label);
      e.put("category", r.category.key);
      e.put("count", r.count);
      e.put("total_ms", Analysis.ms(r.totalUs));
      e.put("self_ms", Analysis.ms(r.selfUs));
      e.put("p50_ms", Analysis.ms(r.percentileUs(50)));
      e.put("p95_ms", Analysis.ms(r.percentileUs(95)));
      e.put("p99_ms", Analysis.ms(r.percentileUs(99)));
      e.put("errors", r.errors);
      e.put("error_rate", Math.round(r.errors * 10_000.0 / r.count) / 10_000.0);
      labels.add(e);
    }
    m.put("labels", labels);
    List<Object> slowList = new ArrayList<>();
    for (Slow s : slowest()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("base_id", s.baseId());
      e.put("timestamp", s.timestamp());
      e.put("duration_ms", Analysis.ms(s.totalUs()));
      e.put("spans", (long) s.spans());
      e.put("errors", (long) s.errors());
      e.put("root", s.root());
      slowList.add(e);
    }
    m.put("slowest", slowList);
    return m;
  }
}
