package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of trace-header parsing: generated and mutated X-Trace-Info / X-Trace-HMAC
 * pairs (correct, forged and malformed MACs) and traceparent values. No exception escapes, and
 * nothing verifies without a MAC made with a configured key.
 */
class HeaderFuzzTest {
  static final List<String> KEYS = List.of("secret", "other-key");
  static final AtomicLong CASES = new AtomicLong();

  record Pair(String info, String mac, boolean signedWithKey) {}

  @AfterContainer
  static void report() {
    System.out.println("fuzzed header cases: " + CASES.get());
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> ids = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> wellFormed =
        Combinators.combine(ids, ids)
            .as(
                (b, p) ->
                    "{\"base_id\": "
                        + dev.weft.internal.pipeline.JsonWriter.quote(b)
                        + ", \"parent_id\": "
                        + dev.weft.internal.pipeline.JsonWriter.quote(p)
                        + "}");
    Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> shapes =
        Arbitraries.of(
            "[]",
            "{}",
            "{\"base_id\": 1}",
            "{\"base_id\": \"a\", \"x\": 1}",
            "{\"base_id\": \"a\", \"parent_id\": null}",
            "{\"base_id\": \"a\"",
            "{\"base_id\": \"\\ud800\"}",
            "{\"base_id\": {\"a\": 1}}",
            "null");
    return Arbitraries.oneOf(wellFormed, garbage, shapes);
  }

  @Provide
  Arbitrary<Pair> pairs() {
    return Combinators.combine(
            jsonish(),
            Arbitraries.integers().between(0, 7),
            Arbitraries.strings().all().ofMaxLength(60),
            Arbitraries.integers().between(0, 63))
        .as(
            (json, mode, noise, pos) -> {
              String info =
                  Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
              switch (mode) {
                case 0: // correctly signed
                  return new Pair(info, OsprofilerHeaders.hmac(info, "secret"), true);
                case 1: // signed with an unknown key
                  return new Pair(info, OsprofilerHeaders.hmac(info, "forged" + noise), false);
                case 2: // one MAC character flipped
                  {
                    char[] m = OsprofilerHeaders.hmac(info, "secret").toCharArray();
                    int i = pos % m.length;
                    m[i] = m[i] == '0' ? '1' : '0';
                    return new Pair(info, new String(m), false);
                  }
                case 3: // info mutated after signing
                  {
                    String mac = OsprofilerHeaders.hmac(info, "secret");
                    String mutated =
                        info.isEmpty() ? noise : info.substring(0, pos % info.length()) + noise;
                    return new Pair(mutated, mac, mutated.equals(info));
                  }
                case 4: // random MAC text
                  return new Pair(info, noise, false);
                case 5: // padding stripped, re-signed (must be rejected by the decoder)
                  {
                    String stripped = info.replace("=", "");
                    return new Pair(
                        stripped,
                        OsprofilerHeaders.hmac(stripped, "secret"),
                        stripped.equals(info));
                  }
                case 6: // random info, random MAC
                  return new Pair(noise, noise, false);
                default: // standard alphabet, signed with the second key
                  {
                    String std = info.replace('-', '+').replace('_', '/');
                    return new Pair(std, OsprofilerHeaders.hmac(std, "other-key"), true);
                  }
              }
            });
  }

  @Property(tries = 6000)
  void verifyNeverThrowsAndNeedsAValidMac(@ForAll("pairs") Pair p) {
    CASES.incrementAndGet();
    OsprofilerHeaders.Unpacked u = OsprofilerHeaders.verify(p.info(), p.mac(), KEYS);
    if (!p.signedWithKey()) {
      assertThat(u).isNull();
    }
    if (u != null) {
      assertThat(OsprofilerHeaders.hmac(p.info(), u.hmacKey())).isEqualTo(p.mac().strip());
      assertThat(u.baseId()).isNotNull();
    }
  }

  @Property(tries = 4000)
  void traceparentParsingNeverThrows(@ForAll("traceparents") String header) {
    CASES.incrementAndGet();
    Traceparent.Parsed p = Traceparent.parse(header);
    if (p != null) {
      assertThat(Traceparent.uuidHex(p.traceIdUuid())).hasSize(32);
      assertThat(p.spanIdHex()).hasSize(16).matches("[0-9a-f]{16}");
    }
  }

  @Provide
  Arbitrary<String> traceparents() {
    Arbitrary<String> hex32 =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF-").ofLength(32);
    Arbitrary<String> hex16 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(16);
    Arbitrary<String> shaped =
        Combinators.combine(
                Arbitraries.of("00", "01", "ff", "zz"),
                hex32,
                hex16,
                Arbitraries.of("01", "00", "g1"))
            .as((v, t, s, f) -> v + "-" + t + "-" + s + "-" + f);
    return Arbitraries.oneOf(shaped, Arbitraries.strings().all().ofMaxLength(120));
  }

  @Property(tries = 200)
  void oversizedHeadersAreRejectedBeforeHashing(@ForAll("sizes") int extra) {
    CASES.incrementAndGet();
    String big = "A".repeat(OsprofilerHeaders.MAX_HEADER_LENGTH + extra);
    String mac = OsprofilerHeaders.hmac(big, "secret");
    assertThat(OsprofilerHeaders.verify(big, mac, KEYS)).isNull();
    assertThat(Traceparent.parse(big)).isNull();
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.integers().between(1, 1 << 16);
  }
}
