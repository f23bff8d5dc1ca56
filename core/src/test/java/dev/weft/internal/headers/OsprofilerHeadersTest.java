package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OSProfiler header codec against fixtures/osprofiler/headers.json (OSProfiler 4.4's own
 * values), plus vectors computed with Python's {@code json.dumps}, {@code base64} and {@code hmac}.
 */
class OsprofilerHeadersTest {
  private static final JsonNode HEADERS = Fixtures.json("headers.json");

  private static List<String> keys(JsonNode c) {
    List<String> keys = new ArrayList<>();
    c.get("configured_keys").forEach(k -> keys.add(k.asText()));
    return keys;
  }

  private static String textOrNull(JsonNode c, String field) {
    JsonNode n = c.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Stream<JsonNode> cases(String group) {
    List<JsonNode> out = new ArrayList<>();
    HEADERS.get(group).forEach(out::add);
    assertThat(out).as("fixture group %s", group).isNotEmpty();
    return out.stream();
  }

  private static OsprofilerHeaders.Unpacked expected(JsonNode unpacked) {
    return new OsprofilerHeaders.Unpacked(
        unpacked.get("base_id").asText(),
        textOrNull(unpacked, "parent_id"),
        unpacked.get("hmac_key").asText());
  }

  @TestFactory
  Stream<DynamicTest> validCases_signByteForByte() {
    return cases("valid")
        .map(
            c ->
                dynamicTest(
                    "sign: " + c.get("note").asText(),
                    () -> {
                      JsonNode data =
                          new com.fasterxml.jackson.databind.ObjectMapper()
                              .readTree(c.get("data_json").asText());
                      String info =
                          OsprofilerHeaders.info(
                              data.get("base_id").asText(), textOrNull(data, "parent_id"));
                      assertThat(info).isEqualTo(c.get("x_trace_info").asText());
                      assertThat(
                              new String(
                                  Base64.getUrlDecoder().decode(info), StandardCharsets.UTF_8))
                          .isEqualTo(c.get("data_json").asText());
                      assertThat(OsprofilerHeaders.hmac(info, c.get("key").asText()))
                          .isEqualTo(c.get("x_trace_hmac").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> validCases_verifyToExactlyTheUnpackedValues() {
    return cases("valid")
        .map(
            c ->
                dynamicTest(
                    "verify: " + c.get("note").asText(),
                    () ->
                        assertThat(
                                OsprofilerHeaders.verify(
                                    c.get("x_trace_info").asText(),
                                    c.get("x_trace_hmac").asText(),
                                    keys(c)))
                            .isEqualTo(expected(c.get("unpacked")))));
  }

  @TestFactory
  Stream<DynamicTest> rejectedCases_giveNull() {
    return cases("rejected")
        .map(
            c ->
                dynamicTest(
                    "reject: " + c.get("note").asText(),
                    () -> {
                      assertThat(
                              OsprofilerHeaders.verify(
                                  textOrNull(c, "x_trace_info"),
                                  textOrNull(c, "x_trace_hmac"),
                                  keys(c)))
                          .isNull();
                      assertThat(
                              TraceHeaders.verify(
                                  textOrNull(c, "x_trace_info"),
                                  textOrNull(c, "x_trace_hmac"),
                                  keys(c)))
                          .isNull();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> acceptedVariants_unpack() {
    return cases("accepted_variants")
        .map(
            c ->
                dynamicTest(
                    "accept: " + c.get("note").asText(),
                    () ->
                        assertThat(
                                OsprofilerHeaders.verify(
                                    c.get("x_trace_info").asText(),
                                    c.get("x_trace_hmac").asText(),
                                    keys(c)))
                            .isEqualTo(expected(c.get("unpacked")))));
  }

  // Vectors below: info/hmac computed with Python 3 json.dumps + base64.urlsafe_b64encode +
  // hmac.new(key.encode("utf-8"), info, hashlib.sha1).hexdigest(), as osprofiler._utils does.

  @Test
  void nonAsciiIds_encodeAsPythonJsonDumps() {
    String base = "caf\u00e9-\u2713-\uD83D\uDE00";
    String parent = "\u65e5\u672c";
    String info = OsprofilerHeaders.info(base, parent);
    assertThat(new String(Base64.getUrlDecoder().decode(info), StandardCharsets.US_ASCII))
        .isEqualTo(
            "{\"base_id\": \"caf\\u00e9-\\u2713-\\ud83d\\ude00\", \"parent_id\": \"\\u65e5\\u672c\"}");
    assertThat(info)
        .isEqualTo(
            "eyJiYXNlX2lkIjogImNhZlx1MDBlOS1cdTI3MTMtXHVkODNkXHVkZTAwIiwgInBhcmVudF9pZCI6ICJcdTY1ZTVcdTY3MmMifQ==");
    assertThat(OsprofilerHeaders.hmac(info, "secret"))
        .isEqualTo("9632aeed42f8b21d34e93691c167a563addb8645");
    assertThat(
            OsprofilerHeaders.verify(
                info, "9632aeed42f8b21d34e93691c167a563addb8645", List.of("secret")))
        .isEqualTo(new OsprofilerHeaders.Unpacked(base, parent, "secret"));
  }

  @Test
  void escapedCharacters_encodeAsPythonJsonDumps() {
    String base = "quote\"back\\slash\ttab\u007f";
    String info = OsprofilerHeaders.info(base, "p");
    assertThat(info)
        .isEqualTo(
            "eyJiYXNlX2lkIjogInF1b3RlXCJiYWNrXFxzbGFzaFx0dGFiXHUwMDdmIiwgInBhcmVudF9pZCI6ICJwIn0=");
    assertThat(OsprofilerHeaders.hmac(info, "secret"))
        .isEqualTo("6c59f922c36fbcedd83c07d9de835647531267f2");
    assertThat(
            OsprofilerHeaders.verify(
                info, OsprofilerHeaders.hmac(info, "secret"), List.of("secret")))
        .isEqualTo(new OsprofilerHeaders.Unpacked(base, "p", "secret"));
  }

  @Test
  void nonAsciiKey_isUsedAsUtf8() {
    String info = OsprofilerHeaders.info("b", "p");
    assertThat(OsprofilerHeaders.hmac(info, "kl\u00fcssel"))
        .isEqualTo("e4fa9cc7e79c10ef99b73c556dea06b6bf7bfe67");
  }

  @Test
  void severalKeys_eachVerifiesAndReportsTheKeyThatMatched() {
    String info = "eyJiYXNlX2lkIjogImIiLCAicGFyZW50X2lkIjogInAifQ==";
    assertThat(OsprofilerHeaders.info("b", "p")).isEqualTo(info);
    List<String> keys = List.of("k1", "k2", "k3");
    Map<String, String> macs =
        Map.of(
            "k1", "abc9ed5fbf3bde9f91561cf57774e36bb40fa5fb",
            "k2", "80d70f817d0f310963cb34047e93f8ef05fab8b1",
            "k3", "e7c629adbc0b962ab7db3bb5d4f9491bdd09eb38");
    macs.forEach(
        (key, mac) -> {
          assertThat(OsprofilerHeaders.hmac(info, key)).isEqualTo(mac);
          assertThat(OsprofilerHeaders.verify(info, mac, keys))
              .isEqualTo(new OsprofilerHeaders.Unpacked("b", "p", key));
          assertThat(OsprofilerHeaders.verify(info, mac, List.of("other", key, "k9")))
              .isEqualTo(new OsprofilerHeaders.Unpacked("b", "p", key));
        });
    assertThat(OsprofilerHeaders.verify(info, macs.get("k2"), List.of("k1", "k3"))).isNull();
  }

  @Test
  void oversizedInfo_isRejectedEvenWhenSigned() {
    // {"base_id": "<n chars>"} is n + 15 bytes; base64 makes 4 * ceil((n + 15) / 3) characters.
    int n = OsprofilerHeaders.MAX_HEADER_LENGTH / 4 * 3 - 15;
    String fits = "a".repeat(n);
    String info = OsprofilerHeaders.info(fits, null);
    assertThat(info).hasSize(OsprofilerHeaders.MAX_HEADER_LENGTH);
    assertThat(OsprofilerHeaders.verify(info, OsprofilerHeaders.hmac(info, "k"), List.of("k")))
        .isEqualTo(new OsprofilerHeaders.Unpacked(fits, null, "k"));

    String tooLong = OsprofilerHeaders.info("a".repeat(n + 1), null);
    assertThat(tooLong).hasSize(OsprofilerHeaders.MAX_HEADER_LENGTH + 4);
    assertThat(
            OsprofilerHeaders.verify(tooLong, OsprofilerHeaders.hmac(tooLong, "k"), List.of("k")))
        .isNull();
    String padded =
        " ".repeat(OsprofilerHeaders.MAX_HEADER_LENGTH) + OsprofilerHeaders.hmac(info, "k");
    assertThat(OsprofilerHeaders.verify(info, padded, List.of("k"))).isNull();
  }

  @Test
  void whatARealClientSends_fitsWellWithinTheCap() {
    // A 1,605-character base_id, as an OSProfiler client has sent one, and a 10,000-character one.
    for (int len : new int[] {1605, 10_000}) {
      String base = "b".repeat(len);
      String info = OsprofilerHeaders.info(base, "p");
      assertThat(info.length()).isGreaterThan(2000).isLessThan(OsprofilerHeaders.MAX_HEADER_LENGTH);
      assertThat(OsprofilerHeaders.verify(info, OsprofilerHeaders.hmac(info, "k"), List.of("k")))
          .isEqualTo(new OsprofilerHeaders.Unpacked(base, "p", "k"));
    }
  }

  @Test
  void standardBase64Alphabet_isAcceptedToo() {
    // The fixture's URL-safe case, re-encoded with '+' and '/' instead of '-' and '_'.
    String urlSafe = "eyJiYXNlX2lkIjogIn5-fiIsICJwYXJlbnRfaWQiOiAifn5-In0=";
    String standard = urlSafe.replace('-', '+').replace('_', '/');
    assertThat(standard).isNotEqualTo(urlSafe);
    assertThat(
            OsprofilerHeaders.verify(
                standard, OsprofilerHeaders.hmac(standard, "secret"), List.of("secret")))
        .isEqualTo(new OsprofilerHeaders.Unpacked("~~~", "~~~", "secret"));
  }

  private static OsprofilerHeaders.Unpacked signedJson(String json) {
    String info = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    return OsprofilerHeaders.verify(info, OsprofilerHeaders.hmac(info, "k"), List.of("k"));
  }

  @Test
  void malformedSignedPayloads_areRejectedWithoutThrowing() {
    List<String> payloads =
        List.of(
            "{\"base_id\": \"b\"} trailing",
            "{\"base_id\": \"unterminated}",
            "{\"base_id\": \"bad escape \\x\"}",
            "{\"base_id\": \"bad \\u12g4 escape\"}",
            "{\"base_id\": \"bad \\u+123 escape\"}",
            "{\"base_id\": \"raw\ttab\"}",
            "{\"base_id\": \"b\",}",
            "{\"base_id\": 01}",
            "{\"base_id\": +1}",
            "{\"base_id\": .5}",
            "{\"base_id\": 1.}",
            "{\"base_id\": -}",
            "{\"base_id\": nan}",
            "{\"base_id\": \"b\", \"sampled\": true}",
            "{\"parent_id\": \"p\"}",
            "{\"base_id\": " + "9".repeat(4301) + "}",
            "\ufeff{\"base_id\": \"b\"}",
            "[\"b\"]",
            "\"b\"",
            "42",
            "",
            "null");
    for (String json : payloads) {
      assertThat(signedJson(json)).as(json).isNull();
    }
    byte[] notUtf8 = {'{', '"', (byte) 0xff, '"', '}', ' '};
    String info = Base64.getUrlEncoder().encodeToString(notUtf8);
    assertThat(OsprofilerHeaders.verify(info, OsprofilerHeaders.hmac(info, "k"), List.of("k")))
        .isNull();
    assertThat(OsprofilerHeaders.verify(null, "x", List.of("k"))).isNull();
    assertThat(OsprofilerHeaders.verify("x", "y", null)).isNull();
  }

  @Test
  void idsAreTakenAsOsprofilersProfilerTakesThem() {
    // parent_id: null, empty, 0 or false mean the base_id (profiler.py: parent_id or base_id).
    for (String parent : List.of("null", "\"\"", "0", "-0", "0.0", "false", "[]", "{}")) {
      assertThat(signedJson("{\"base_id\": \"b\", \"parent_id\": " + parent + "}"))
          .as(parent)
          .isEqualTo(new OsprofilerHeaders.Unpacked("b", null, "k"));
    }
    // Any other JSON value is an id, kept as the text json.dumps writes for it.
    Map<String, String> texts = new java.util.LinkedHashMap<>();
    texts.put("7", "7");
    texts.put("-12", "-12");
    texts.put("2.50", "2.5");
    texts.put("1E2", "100.0");
    texts.put("1e16", "1e+16");
    texts.put("1e400", "Infinity");
    texts.put("NaN", "NaN");
    texts.put("true", "true");
    texts.put("[1,\"a\" , null]", "[1, \"a\", null]");
    texts.put("{\"a\":1,\"b\":{},\"a\":2}", "{\"a\": 2, \"b\": {}}");
    texts.put("\"\\u00e9\"", "\u00e9");
    texts.forEach(
        (json, text) ->
            assertThat(signedJson("{\"base_id\": \"b\", \"parent_id\": " + json + "}"))
                .as(json)
                .isEqualTo(new OsprofilerHeaders.Unpacked("b", text, "k")));
    assertThat(signedJson("{\"base_id\": 42}"))
        .isEqualTo(new OsprofilerHeaders.Unpacked("42", null, "k"));
    // A caller's hmac_key is overwritten by the matching key (signed_unpack), so it is accepted.
    assertThat(signedJson("{\"base_id\": \"b\", \"hmac_key\": \"forged\"}"))
        .isEqualTo(new OsprofilerHeaders.Unpacked("b", null, "k"));
    // The last of duplicated keys counts, as in a Python dict.
    assertThat(signedJson("{\"base_id\": \"a\", \"base_id\": \"b\"}"))
        .isEqualTo(new OsprofilerHeaders.Unpacked("b", null, "k"));
  }

  @Test
  void anEmptyBaseId_startsANewTrace_asOsprofilerDoes() {
    for (String base : List.of("null", "\"\"", "0", "false")) {
      OsprofilerHeaders.Unpacked u =
          signedJson("{\"base_id\": " + base + ", \"parent_id\": \"p\"}");
      assertThat(u).as(base).isNotNull();
      assertThat(u.baseId())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(u.parentId()).isEqualTo("p");
    }
    assertThat(signedJson("{\"base_id\": \"\"}").baseId())
        .isNotEqualTo(signedJson("{\"base_id\": \"\"}").baseId());
  }

  @Test
  void base64_isDecodedAsPythonsBinasciiDoes() {
    // Values checked with Python 3.11's base64.urlsafe_b64decode.
    Map<String, String> decoded = new java.util.LinkedHashMap<>();
    decoded.put("QQ==", "A");
    decoded.put("QQ===", "A");
    decoded.put("QQ==QUJD", "A");
    decoded.put("Q Q==", "A");
    decoded.put("Q=Q==", "A");
    decoded.put("QR==", "A");
    decoded.put("QUJD=", "ABC");
    decoded.put("=QUJD", "ABC");
    decoded.put("QU=JD", "ABC");
    decoded.put("QUJ=D", "AB");
    decoded.put("Q\tQ==", "A");
    decoded.put("Q\nQ==", "A");
    decoded.put("Q!Q==", "A");
    decoded.put("Q\u0000Q==", "A");
    decoded.put("==", "");
    decoded.put("", "");
    decoded.put("Pz8-", "??>");
    decoded.put("Pz8+", "??>");
    decoded.put("Pz_-", "??\u00fe");
    decoded.forEach(
        (in, out) ->
            assertThat(OsprofilerHeaders.urlsafeB64decode(in))
                .as(in)
                .isEqualTo(out.getBytes(StandardCharsets.ISO_8859_1)));
    for (String refused : List.of("QQ", "QQ=", "QUJ", "Q", "QUJDR", "Q==", "Q=")) {
      assertThat(OsprofilerHeaders.urlsafeB64decode(refused)).as(refused).isNull();
    }
  }

  @Test
  void theMac_isStrippedOfPythonsWhitespace() {
    String info = OsprofilerHeaders.info("b", "p");
    String mac = OsprofilerHeaders.hmac(info, "k");
    for (String ws :
        List.of(
            " ", "\t", "\n", "\u000b", "\u000c", "\r", "\u001c", "\u001f", "\u0085", "\u00a0",
            "\u2000", "\u3000")) {
      assertThat(OsprofilerHeaders.verify(info, ws + mac + ws, List.of("k")))
          .as("U+%04X", (int) ws.charAt(0))
          .isNotNull();
    }
    assertThat(OsprofilerHeaders.verify(info, "\u200b" + mac, List.of("k"))).isNull();
    assertThat(OsprofilerHeaders.verify(info, mac.substring(1) + "\u00e9", List.of("k"))).isNull();
  }

  @Test
  void publicApi_signAndVerifyRoundTrip() {
    Map<String, String> h = TraceHeaders.sign("1", "2", "secret");
    assertThat(h)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                TraceHeaders.X_TRACE_INFO, "eyJiYXNlX2lkIjogIjEiLCAicGFyZW50X2lkIjogIjIifQ==",
                TraceHeaders.X_TRACE_HMAC, "8fd628ea64e833b7894bb5e60bffbd0d391acf80"));
    assertThat(TraceHeaders.X_TRACE_INFO).isEqualTo("X-Trace-Info");
    assertThat(TraceHeaders.X_TRACE_HMAC).isEqualTo("X-Trace-HMAC");
    assertThat(
            TraceHeaders.verify(
                h.get(TraceHeaders.X_TRACE_INFO),
                h.get(TraceHeaders.X_TRACE_HMAC),
                List.of("a", "secret")))
        .isEqualTo(new TraceHeaders.Verified("1", "2", "secret"));
    assertThat(
            TraceHeaders.verify(
                h.get(TraceHeaders.X_TRACE_INFO), h.get(TraceHeaders.X_TRACE_HMAC), List.of("a")))
        .isNull();
    Map<String, String> noParent =
        TraceHeaders.sign("5b2e8f4c-1d3a-4e6b-9c7f-0a1b2c3d4e5f", null, "k1");
    assertThat(noParent.get(TraceHeaders.X_TRACE_INFO))
        .isEqualTo("eyJiYXNlX2lkIjogIjViMmU4ZjRjLTFkM2EtNGU2Yi05YzdmLTBhMWIyYzNkNGU1ZiJ9");
    assertThat(noParent.get(TraceHeaders.X_TRACE_HMAC))
        .isEqualTo("9fdf5a8cd7eb0f6015a99a79284b6ec3052e9585");
    assertThat(
            TraceHeaders.verify(
                noParent.get(TraceHeaders.X_TRACE_INFO),
                noParent.get(TraceHeaders.X_TRACE_HMAC),
                List.of("k1")))
        .isEqualTo(new TraceHeaders.Verified("5b2e8f4c-1d3a-4e6b-9c7f-0a1b2c3d4e5f", null, "k1"));
  }
}
