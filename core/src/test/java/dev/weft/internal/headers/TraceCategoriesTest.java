package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.TraceCategory;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Weft-Trace-Categories} and its MAC. The MACs below were computed with Python's {@code
 * hmac.new(key, (categories + "\n" + info).encode(), hashlib.sha1).hexdigest()}.
 */
class TraceCategoriesTest {
  // From fixtures/osprofiler/headers.json, "osprofiler test_web.py values": base_id 1, parent 2.
  static final String INFO = "eyJiYXNlX2lkIjogIjEiLCAicGFyZW50X2lkIjogIjIifQ==";
  static final String OTHER_INFO = OsprofilerHeaders.info("1", "3");
  static final String SQL_REDIS_MAC = "0cd34a4ed6d8728bee3e4ab75bfcb2b0749307c1";
  static final String REDIS_SQL_MAC = "e7115c7b3ec71ac59691b562b77c2cfac9015595";
  static final String BLANKS_MAC = "0980cc8af042ed9ccea71bbd2a7c96bad8ac66e8";
  static final String SQL_REDIS_MAC_UNDER_OTHER = "696db4b2a882b55d82ae2d5b8698eb8ea730d24b";

  static final int SQL = 1 << TraceCategory.SQL.ordinal();
  static final int REDIS = 1 << TraceCategory.REDIS.ordinal();

  @Test
  void signsAsPythonsHmacDoes() {
    assertThat(TraceCategories.sign("sql,redis", INFO, "secret")).isEqualTo(SQL_REDIS_MAC);
    assertThat(TraceCategories.sign("redis,sql", INFO, "secret")).isEqualTo(REDIS_SQL_MAC);
    assertThat(TraceCategories.sign("sql,redis", INFO, "other"))
        .isEqualTo(SQL_REDIS_MAC_UNDER_OTHER);
  }

  @Test
  void valid_givesTheCategories_inAnyOrder_blanksAroundNamesAllowed() {
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC, INFO, "secret"))
        .isEqualTo(SQL | REDIS);
    assertThat(TraceCategories.verify("redis,sql", REDIS_SQL_MAC, INFO, "secret"))
        .isEqualTo(SQL | REDIS);
    assertThat(TraceCategories.verify(" sql , redis", BLANKS_MAC, INFO, "secret"))
        .isEqualTo(SQL | REDIS);
    // the MAC is compared after Python's strip(), as X-Trace-HMAC is
    assertThat(TraceCategories.verify("sql,redis", " " + SQL_REDIS_MAC + "\t", INFO, "secret"))
        .isEqualTo(SQL | REDIS);
  }

  @Test
  void forged_orWrongKey_orUnsigned_changesNothing() {
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC_UNDER_OTHER, INFO, "secret"))
        .isZero();
    assertThat(TraceCategories.verify("sql,redis", "0".repeat(40), INFO, "secret")).isZero();
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC.toUpperCase(), INFO, "secret"))
        .isZero();
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC + "0", INFO, "secret")).isZero();
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC.substring(1), INFO, "secret"))
        .isZero();
    assertThat(TraceCategories.verify("sql,redis", null, INFO, "secret")).isZero();
    assertThat(TraceCategories.verify("sql,redis", "", INFO, "secret")).isZero();
    // a MAC is for its value only: the same MAC with a longer list does not verify
    assertThat(TraceCategories.verify("sql,redis,mongodb", SQL_REDIS_MAC, INFO, "secret")).isZero();
    assertThat(TraceCategories.verify("sql", SQL_REDIS_MAC, INFO, "secret")).isZero();
    // no trace key, no categories
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC, INFO, null)).isZero();
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC, null, "secret")).isZero();
  }

  @Test
  void replayedWithAnotherTraceInfo_changesNothing() {
    assertThat(TraceCategories.verify("sql,redis", SQL_REDIS_MAC, OTHER_INFO, "secret")).isZero();
    String forOther = TraceCategories.sign("sql,redis", OTHER_INFO, "secret");
    assertThat(TraceCategories.verify("sql,redis", forOther, OTHER_INFO, "secret"))
        .isEqualTo(SQL | REDIS);
    assertThat(TraceCategories.verify("sql,redis", forOther, INFO, "secret")).isZero();
  }

  @Test
  void anUnknownOrEmptyName_orOneARequestCannotAskFor_makesTheWholeHeaderIgnored() {
    for (String value :
        new String[] {
          "sql,foo",
          "foo",
          "",
          " ",
          "sql,",
          ",sql",
          "sql,,redis",
          "SQL",
          "Sql,redis",
          "servlet",
          "sql,servlet",
          "sql;redis",
          "sql redis",
          "sql,redis\n",
          "sql,réd",
          "x".repeat(257)
        }) {
      String mac = TraceCategories.sign(value, INFO, "secret");
      assertThat(TraceCategories.verify(value, mac, INFO, "secret")).as("[%s]", value).isZero();
      assertThat(TraceCategories.parse(value)).as("[%s]", value).isEqualTo(-1);
    }
  }

  @Test
  void everyCategoryButServletCanBeAskedFor() {
    String all = "annotated,http,mongodb,redis,sql,pooling,async";
    int mask = TraceCategories.parse(all);
    assertThat(mask).isEqualTo(TraceCategories.REQUESTABLE);
    assertThat(TraceCategories.verify(all, TraceCategories.sign(all, INFO, "k"), INFO, "k"))
        .isEqualTo(mask);
    assertThat(mask & (1 << TraceCategory.SERVLET.ordinal())).isZero();
    assertThat(Integer.bitCount(mask)).isEqualTo(TraceCategory.values().length - 1);
  }

  @Test
  void namesAreWrittenInTheOrderOfTheCategoryTable() {
    assertThat(TraceCategories.names(SQL | REDIS)).isEqualTo("redis,sql");
    assertThat(TraceCategories.names(TraceCategories.REQUESTABLE))
        .isEqualTo("annotated,http,mongodb,redis,sql,pooling,async");
    assertThat(TraceCategories.names(0)).isEmpty();
    assertThat(TraceCategories.of("sql", " redis ")).isEqualTo(SQL | REDIS);
    assertThat(TraceCategories.of()).isZero();
  }

  @Test
  void anUnknownNameInTheApi_isAnError_thatNamesTheKnownOnes() {
    assertThatThrownBy(() -> TraceCategories.of("sql", "db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown trace category 'db': a trace can ask for annotated, http, mongodb, redis,"
                + " sql, pooling, async");
    assertThatThrownBy(() -> TraceCategories.of("servlet"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
