package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PyJson against values computed with Python 3.11's json module and float repr(). */
class PyJsonTest {

  @Test
  void floatRepr_isPythons() {
    Map<Long, String> vectors = new LinkedHashMap<>();
    // Python: repr(struct.unpack('<d', struct.pack('<Q', bits))[0])
    vectors.put(0x0000000000000001L, "5e-324");
    vectors.put(0x7fefffffffffffffL, "1.7976931348623157e+308");
    vectors.put(0x3fd3333333333334L, "0.30000000000000004");
    vectors.put(0x3fd5555555555555L, "0.3333333333333333");
    vectors.put(0x419d6f34547df3b6L, "123456789.123");
    vectors.put(0x4480f0cf064dd592L, "1e+22");
    vectors.put(0x444b1ae4d6e2ef50L, "1e+21");
    vectors.put(0x4340000000000001L, "9007199254740994.0");
    vectors.put(0x3f1a36e2eb1c432dL, "0.0001");
    vectors.put(0x3f1a36e2eb1c432cL, "9.999999999999999e-05");
    vectors.put(0x4341c37937e08000L, "1e+16");
    vectors.put(0x4341c37937e07fffL, "9999999999999998.0");
    vectors.put(0x3fe0000000000000L, "0.5");
    vectors.put(0x4059000000000000L, "100.0");
    vectors.put(0x40934a456d5cfaadL, "1234.5678");
    vectors.put(0xbdf12e0be826d695L, "-2.5e-10");
    vectors.put(0x0010000000000000L, "2.2250738585072014e-308");
    vectors.put(0x4011666666666666L, "4.35");
    vectors.put(0x3fd3333333333333L, "0.3");
    vectors.put(0x44b52d02c7e14af6L, "1e+23");
    vectors.put(0x447c7e83209e90b2L, "8.41e+21");
    vectors.put(0x3ea0c6f7a0b5ed8dL, "5e-07");
    vectors.put(0x7953a6f252e6b438L, "2.7216092808335446e+276");
    vectors.put(0x32899387269e0d37L, "3.035766360112293e-65");
    vectors.put(0x062e3fe8a6a3a450L, "6.665830898196862e-279");
    vectors.put(0x691f8412128b2f33L, "2.3558459513947972e+198");
    vectors.put(0x0c0c7408892f902bL, "1.2418970069620836e-250");
    vectors.put(0x4a98cc2e5d9dc9f8L, "2.319469273766672e+51");
    vectors.put(0x74712eca0ed90475L, "7.873531487934826e+252");
    vectors.put(0x1b7b3ae681e74ef5L, "2.6878898238430084e-176");
    vectors.put(0x0b0051ad099950d8L, "1.086847153644306e-255");
    vectors.put(0x3586aa4d6f03675aL, "7.572358053192185e-51");
    vectors.put(0x1ece0b9211e20b8fL, "2.6713290337373985e-160");
    vectors.put(0x4688b7671738f7d9L, "6.266356115726005e+31");
    vectors.put(0xc1026d8cf945b304L, "-150961.62171497208");
    vectors.put(0x4123f3107faa06d8L, "653704.249344076");
    vectors.put(0xc126f61827c86326L, "-752396.0777007088");
    vectors.put(0xc120e464243e0f0cL, "-553522.0707859709");
    vectors.put(0x410f1c938ef929c8L, "254866.4448111786");
    vectors.put(0x412b5373c5137304L, "895417.8849140112");
    vectors.forEach(
        (bits, repr) ->
            assertThat(PyJson.floatRepr(Double.longBitsToDouble(bits))).as(repr).isEqualTo(repr));
    assertThat(PyJson.floatRepr(-0.0)).isEqualTo("-0.0");
    assertThat(PyJson.floatRepr(0.0)).isEqualTo("0.0");
    assertThat(PyJson.floatRepr(Double.NaN)).isEqualTo("NaN");
    assertThat(PyJson.floatRepr(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void parse_thenDumps_writesWhatPythonWrites() {
    // Python: json.dumps(json.loads(text))
    Map<String, String> vectors = new LinkedHashMap<>();
    vectors.put(
        "{\"a\":[1,{\"b\":null,\"a\":true}],\"a2\":\"\\u00e9\\ud83d\\ude00\\u007f\"}",
        "{\"a\": [1, {\"b\": null, \"a\": true}], \"a2\": \"\\u00e9\\ud83d\\ude00\\u007f\"}");
    vectors.put("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\": 3, \"b\": 2}");
    vectors.put(
        " [ -0 , -0.0 , 1E2 , 1e-400 , 1e400 , -Infinity , NaN ] ",
        "[0, -0.0, 100.0, 0.0, Infinity, -Infinity, NaN]");
    vectors.put("\"\\ud800\\/\\b\\f\\n\\r\\t\"", "\"\\ud800/\\b\\f\\n\\r\\t\"");
    vectors.put("123456789012345678901234567890", "123456789012345678901234567890");
    vectors.forEach((in, out) -> assertThat(PyJson.dumps(PyJson.parse(in))).as(in).isEqualTo(out));
  }

  @Test
  void integersAreLimitedTo4300Digits_asPythonsIntConversion() {
    assertThat(PyJson.parse("-" + "9".repeat(4300))).isInstanceOf(BigInteger.class);
    assertThatThrownBy(() -> PyJson.parse("9".repeat(4301))).isInstanceOf(PyJson.Invalid.class);
    assertThat(PyJson.parse("9".repeat(4301) + ".0")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void nestingStopsWherePythonsRecursionLimitStopsTheDecoder() {
    String ok =
        "{\"p\": " + "[".repeat(PyJson.MAX_DEPTH - 1) + "]".repeat(PyJson.MAX_DEPTH - 1) + "}";
    assertThat(PyJson.parse(ok)).isInstanceOf(Map.class);
    String deeper = "{\"p\": " + "[".repeat(PyJson.MAX_DEPTH) + "]".repeat(PyJson.MAX_DEPTH) + "}";
    assertThatThrownBy(() -> PyJson.parse(deeper)).isInstanceOf(PyJson.Invalid.class);
  }

  @Test
  void truthiness_isPythons() {
    for (String falsy :
        List.of("null", "false", "0", "-0", "0.0", "-0.0", "1e-400", "\"\"", "[]", "{}")) {
      assertThat(PyJson.truthy(PyJson.parse(falsy))).as(falsy).isFalse();
    }
    for (String truthy : List.of("true", "1", "0.1", "NaN", "\" \"", "[0]", "{\"a\": null}")) {
      assertThat(PyJson.truthy(PyJson.parse(truthy))).as(truthy).isTrue();
    }
  }
}
