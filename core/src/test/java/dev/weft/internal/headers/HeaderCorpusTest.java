package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.TraceHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays fixtures/osprofiler/header-corpus.json — header variants made with OSProfiler's own API,
 * each with what OSProfiler's WsgiMiddleware decided — through Weft's header verification, without
 * Python. The servlet integration hands headers over as a WSGI server does (a repeated header as
 * its values joined with ","; surrounding blanks trimmed by the HTTP parser), so this test does
 * too. it-openstack checks the fixture against the real OSProfiler and a woven servlet.
 */
class HeaderCorpusTest {
  private static final String NEW_UUID = "<a new uuid>";
  private static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @Test
  void everyCase_isDecidedAsOsprofilerDecidedIt() {
    JsonNode corpus = Fixtures.json("header-corpus.json");
    List<String> keys = List.of(corpus.get("hmac_keys").asText().split(","));
    List<String> disagreements = new ArrayList<>();
    int n = 0;
    for (JsonNode c : corpus.get("cases")) {
      n++;
      String expected = expected(c.get("osprofiler"));
      String actual = weft(c, keys);
      if (!expected.equals(actual)) {
        disagreements.add(c.get("name").asText() + ": OSProfiler " + expected + ", Weft " + actual);
      }
    }
    assertThat(n).isGreaterThanOrEqualTo(40);
    assertThat(disagreements).isEmpty();
  }

  private static String expected(JsonNode d) {
    if (!d.get("traced").asBoolean()) {
      return "untraced";
    }
    return "traced "
        + d.get("base_id").asText()
        + " / "
        + d.get("parent_id").asText()
        + " / "
        + d.get("hmac_key").asText();
  }

  private static String weft(JsonNode c, List<String> keys) {
    boolean http = c.get("transport").asText().equals("http");
    Map<String, String> joined = new LinkedHashMap<>();
    for (JsonNode h : c.get("headers")) {
      String v = h.get(1).asText();
      joined.merge(
          h.get(0).asText().toLowerCase(Locale.ROOT), http ? trimOws(v) : v, (a, b) -> a + "," + b);
    }
    TraceHeaders.Verified v =
        TraceHeaders.verify(joined.get("x-trace-info"), joined.get("x-trace-hmac"), keys);
    if (v == null) {
      return "untraced";
    }
    List<String> sent = new ArrayList<>();
    c.get("sent_ids").forEach(s -> sent.add(s.asText()));
    String base = v.baseId();
    if (!sent.contains(base) && UUID4.matcher(base).matches()) {
      base = NEW_UUID;
    }
    String parent = v.parentId() == null ? base : v.parentId();
    return "traced " + base + " / " + parent + " / " + v.hmacKey();
  }

  /** What an HTTP parser drops around a field value: spaces and tabs. */
  private static String trimOws(String v) {
    int b = 0;
    int e = v.length();
    while (b < e && (v.charAt(b) == ' ' || v.charAt(b) == '\t')) {
      b++;
    }
    while (e > b && (v.charAt(e - 1) == ' ' || v.charAt(e - 1) == '\t')) {
      e--;
    }
    return v.substring(b, e);
  }
}
