package dev.weft.benchmarks.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A horizontal bar chart, as SVG, of a JMH result file ({@code -rf json}): one bar per benchmark
 * row (benchmark and parameters), its length the score, a whisker for JMH's error (the 99.9 %
 * confidence interval), the score and unit written beside it and, with {@code --baseline}, its
 * ratio to one row.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.charts.Charts RESULT.json OUT.svg
 *     [TITLE] [--metric NAME] [--baseline LABEL] [--include REGEX]
 * </pre>
 *
 * <p>{@code --metric} charts a secondary metric (for example {@code cpu.per.request}, {@code
 * gc.alloc.rate.norm}) instead of the primary score; {@code --baseline} names the row the ratios
 * are taken to, by its label as the chart shows it; {@code --include} keeps the rows whose
 * benchmark name matches. A row's label is its benchmark ({@code Class.method}, left out when every
 * row has the same) and the parameters that differ between rows; the parameters every row shares
 * are written under the title.
 */
public final class Charts {
  static final int WIDTH = 760;
  static final int ROW = 28;
  static final int BAR = 18;
  static final int TOP = 56;
  static final int AXIS = 40;
  static final double CHAR = 7.0;
  static final int VALUE_SPACE = 200;

  private Charts() {}

  /** One bar. */
  record Row(String label, double score, double error, String unit) {}

  /** The rows of a chart and what every row shares. */
  record Data(List<Row> rows, String common) {}

  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    String metric = null;
    String baseline = null;
    String include = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--metric" -> metric = args[++i];
        case "--baseline" -> baseline = args[++i];
        case "--include" -> include = args[++i];
        default -> positional.add(args[i]);
      }
    }
    if (positional.size() < 2 || positional.size() > 3) {
      System.err.println(
          "usage: Charts RESULT.json OUT.svg [TITLE] [--metric NAME] [--baseline LABEL]"
              + " [--include REGEX]");
      System.exit(2);
    }
    JsonNode json = new ObjectMapper().readTree(Path.of(positional.get(0)).toFile());
    Data data = rows(json, metric, include);
    String title = positional.size() == 3 ? positional.get(2) : defaultTitle(json, metric);
    Files.writeString(
        Path.of(positional.get(1)), svg(data, title, baseline), StandardCharsets.UTF_8);
  }

  static String defaultTitle(JsonNode json, String metric) {
    String name = shortName(json.path(0).path("benchmark").asText(""));
    String cls = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    return metric == null ? cls : cls + ": " + metric;
  }

  /** The rows of a JMH result array: the primary score, or {@code metric}'s. */
  static Data rows(JsonNode json, String metric, String include) {
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode run : json) {
      if (include == null
          || java.util.regex.Pattern.compile(include)
              .matcher(run.path("benchmark").asText())
              .find()) {
        runs.add(run);
      }
    }
    // Parameters whose value is the same in every row go under the title, the others in labels.
    Map<String, String> shared = null;
    for (JsonNode run : runs) {
      Map<String, String> p = params(run);
      if (shared == null) {
        shared = new LinkedHashMap<>(p);
      } else {
        shared.entrySet().removeIf(e -> !e.getValue().equals(p.get(e.getKey())));
      }
    }
    boolean oneBenchmark =
        runs.stream().map(r -> r.path("benchmark").asText()).distinct().count() == 1;
    List<Row> rows = new ArrayList<>();
    for (JsonNode run : runs) {
      JsonNode m =
          metric == null ? run.path("primaryMetric") : run.path("secondaryMetrics").path(metric);
      if (m.isMissingNode()) {
        throw new IllegalArgumentException(
            shortName(run.path("benchmark").asText()) + " has no metric " + metric);
      }
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, String> e : params(run).entrySet()) {
        if (!shared.containsKey(e.getKey())) {
          parts.add(e.getKey() + "=" + e.getValue());
        }
      }
      String name = shortName(run.path("benchmark").asText());
      String label;
      if (oneBenchmark && !parts.isEmpty()) {
        label = String.join(", ", parts);
      } else {
        label = parts.isEmpty() ? name : name + " (" + String.join(", ", parts) + ")";
      }
      rows.add(
          new Row(
              label,
              m.path("score").asDouble(),
              m.path("scoreError").asDouble(Double.NaN),
              m.path("scoreUnit").asText()));
    }
    List<String> common = new ArrayList<>();
    if (oneBenchmark && !runs.isEmpty()) {
      common.add(shortName(runs.get(0).path("benchmark").asText()));
    }
    if (shared != null) {
      shared.forEach((k, v) -> common.add(k + "=" + v));
    }
    return new Data(rows, String.join(", ", common));
  }

  private static Map<String, String> params(JsonNode run) {
    Map<String, String> p = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = run.path("params").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      p.put(e.getKey(), e.getValue().asText());
    }
    return p;
  }

  /** {@code dev.weft.benchmarks.RestingOverhead.traced} → {@code RestingOverhead.traced}. */
  static String shortName(String benchmark) {
    String[] parts = benchmark.split("\\.");
    return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  /** The chart. {@code baseline}: the label of the row the ratios are taken to, or null. */
  static String svg(Data data, String title, String baseline) {
    List<Row> rows = data.rows();
    Row base = null;
    if (baseline != null) {
      base =
          rows.stream()
              .filter(r -> r.label().equals(baseline))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no row labelled " + baseline));
    }
    int longest = rows.stream().mapToInt(r -> r.label().length()).max().orElse(0);
    int left = 10 + (int) Math.ceil(longest * CHAR);
    int plot = WIDTH - left - VALUE_SPACE;
    double max = 0;
    for (Row r : rows) {
      max = Math.max(max, r.score() + (Double.isNaN(r.error()) ? 0 : r.error()));
    }
    double step = niceStep(max / 5);
    double top = step * Math.ceil(max / step);
    if (top <= 0) {
      top = 1;
      step = 0.2;
    }
    int height = TOP + rows.size() * ROW + AXIS;
    StringBuilder s = new StringBuilder();
    s.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
                    + " %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append(
            String.format(
                Locale.ROOT,
                "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                WIDTH,
                height));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            xml(title)));
    if (!data.common().isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"10\" y=\"38\" fill=\"#555555\">%s</text>\n",
              xml(data.common())));
    }
    String unit = rows.isEmpty() ? "" : rows.get(0).unit();
    int axisY = TOP + rows.size() * ROW;
    for (int i = 0; i * step <= top + step / 1e6; i++) {
      double v = i * step;
      double x = left + plot * v / top;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>\n",
              x,
              TOP - 4,
              x,
              axisY));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">%s</text>\n",
              x,
              axisY + 16,
              number(v)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">%s</text>\n",
            left + plot / 2.0,
            axisY + 34,
            xml(unit)));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int y = TOP + i * ROW;
      double w = plot * r.score() / top;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
              left - 8,
              y + BAR - 5,
              xml(r.label())));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4e79a7\"/>\n",
              left,
              y,
              w,
              BAR));
      double end = left + w;
      if (!Double.isNaN(r.error()) && r.error() > 0) {
        double lo = left + plot * Math.max(0, r.score() - r.error()) / top;
        double hi = left + plot * (r.score() + r.error()) / top;
        int mid = y + BAR / 2;
        s.append(
            String.format(
                Locale.ROOT,
                "<path d=\"M%.1f %dH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"#222222\""
                    + " fill=\"none\"/>\n",
                lo,
                mid,
                hi,
                lo,
                mid - 5,
                mid + 5,
                hi,
                mid - 5,
                mid + 5));
        end = Math.max(end, hi);
      }
      String value = number(r.score());
      if (!Double.isNaN(r.error())) {
        value += " ± " + number(r.error());
      }
      value += " " + r.unit();
      if (base != null && base != r && base.score() != 0) {
        value += String.format(Locale.ROOT, " (%.3f ×)", r.score() / base.score());
      }
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
              end + 6,
              y + BAR - 5,
              xml(value)));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** Three significant digits at most, no exponent: 1234.5 → 1235, 0.01234 → 0.0123. */
  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 2 - (int) Math.floor(Math.log10(a));
    String t = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (t.contains(".")) {
      t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return t;
  }

  static String xml(String t) {
    return t.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
