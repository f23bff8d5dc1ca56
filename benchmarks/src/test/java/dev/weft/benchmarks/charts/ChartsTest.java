package dev.weft.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ChartsTest {
  /** Two rows of one benchmark, as JMH's -rf json writes them (trimmed to what the chart reads). */
  static final String JSON =
      """
      [
        {"benchmark": "dev.weft.benchmarks.Demo.run", "mode": "avgt",
         "params": {"mode": "a", "n": "1"},
         "primaryMetric": {"score": 10.0, "scoreError": 2.0, "scoreUnit": "us/op"},
         "secondaryMetrics": {"cpu": {"score": 3.0, "scoreError": "NaN", "scoreUnit": "us/request"}}},
        {"benchmark": "dev.weft.benchmarks.Demo.run", "mode": "avgt",
         "params": {"mode": "b", "n": "1"},
         "primaryMetric": {"score": 20.0, "scoreError": "NaN", "scoreUnit": "us/op"},
         "secondaryMetrics": {"cpu": {"score": 6.0, "scoreError": "NaN", "scoreUnit": "us/request"}}}
      ]
      """;

  static JsonNode json() throws Exception {
    return new ObjectMapper().readTree(JSON);
  }

  @Test
  void labelsCarryTheParametersThatDifferAndTheSharedOnesGoUnderTheTitle() throws Exception {
    Charts.Data data = Charts.rows(json(), null, null);
    assertThat(data.common()).isEqualTo("Demo.run, n=1");
    assertThat(data.rows())
        .containsExactly(
            new Charts.Row("mode=a", 10.0, 2.0, "us/op"),
            new Charts.Row("mode=b", 20.0, Double.NaN, "us/op"));
  }

  @Test
  void aSecondaryMetricIsChartedByName() throws Exception {
    Charts.Data data = Charts.rows(json(), "cpu", null);
    assertThat(data.rows()).extracting(Charts.Row::score).containsExactly(3.0, 6.0);
    assertThat(data.rows()).extracting(Charts.Row::unit).containsOnly("us/request");
    assertThatThrownBy(() -> Charts.rows(json(), "nope", null))
        .hasMessage("Demo.run has no metric nope");
  }

  @Test
  void barsWhiskersValuesAndRatiosAreDrawnToScale() throws Exception {
    String svg = Charts.svg(Charts.rows(json(), null, null), "Demo", "mode=a");
    // Labels 6 characters: the plot starts at x=52 and is 508 wide; the axis ends at 20 (step 5).
    assertThat(svg)
        .startsWith(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"152\" viewBox=\"0 0"
                + " 760 152\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .contains("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Demo</text>\n")
        .contains("<text x=\"10\" y=\"38\" fill=\"#555555\">Demo.run, n=1</text>\n")
        .contains("<text x=\"44\" y=\"69\" text-anchor=\"end\">mode=a</text>\n")
        .contains("<rect x=\"52\" y=\"56\" width=\"254.0\" height=\"18\" fill=\"#4e79a7\"/>\n")
        .contains(
            "<path d=\"M255.2 65H356.8M255.2 60V70M356.8 60V70\" stroke=\"#222222\""
                + " fill=\"none\"/>\n")
        .contains("<text x=\"362.8\" y=\"69\">10 ± 2 us/op</text>\n")
        .contains("<rect x=\"52\" y=\"84\" width=\"508.0\" height=\"18\" fill=\"#4e79a7\"/>\n")
        .contains("<text x=\"566.0\" y=\"97\">20 us/op (2.000 ×)</text>\n")
        .contains("<line x1=\"560.0\" y1=\"52\" x2=\"560.0\" y2=\"112\" stroke=\"#dddddd\"/>\n")
        .contains("<text x=\"560.0\" y=\"128\" text-anchor=\"middle\" fill=\"#555555\">20</text>\n")
        .contains(
            "<text x=\"306.0\" y=\"146\" text-anchor=\"middle\" fill=\"#555555\">us/op</text>\n")
        .endsWith("</svg>\n");
    assertThat(svg.split("<rect ", -1)).hasSize(4); // the background and two bars
    assertThat(svg.split("<path ", -1)).hasSize(2); // one whisker: row b has no error
  }

  @Test
  void textIsEscapedAndNumbersKeepThreeSignificantDigits() {
    assertThat(Charts.xml("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
    assertThat(Charts.number(1234.5)).isEqualTo("1235");
    assertThat(Charts.number(12.34)).isEqualTo("12.3");
    assertThat(Charts.number(2.5)).isEqualTo("2.5");
    assertThat(Charts.number(0.01234)).isEqualTo("0.0123");
    assertThat(Charts.niceStep(4)).isEqualTo(5);
    assertThat(Charts.niceStep(130)).isEqualTo(200);
    assertThat(Charts.shortName("dev.weft.benchmarks.RestingOverhead.traced"))
        .isEqualTo("RestingOverhead.traced");
  }
}
