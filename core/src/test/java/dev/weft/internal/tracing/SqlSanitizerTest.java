package dev.weft.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlSanitizerTest {
  @Test
  void replacesStringAndNumberLiterals() {
    assertThat(
            SqlSanitizer.sanitize(
                "select * from t1 where name = 'o''hara' and n > 42 and x = -1.5e3 and h = 0x1F",
                "h2"))
        .isEqualTo("select * from t1 where name = ? and n > ? and x = -? and h = ?");
  }

  @Test
  void keepsIdentifiersQuotedIdentifiersAndPlaceholders_dropsCommentBodies() {
    assertThat(
            SqlSanitizer.sanitize(
                "select a1_0.id,\"col 2\" from t2 a1_0 where a1_0.id=? and b=$1 and c=:name"
                    + " -- 'gone' 7",
                "postgresql"))
        .isEqualTo(
            "select a1_0.id,\"col 2\" from t2 a1_0 where a1_0.id=? and b=$1 and c=:name --?");
  }

  @Test
  void replacesPrefixedAndDollarQuotedStrings() {
    assertThat(
            SqlSanitizer.sanitize("values (E'a\\'b', X'0A', $tag$it's$tag$, $$x$$)", "postgresql"))
        .isEqualTo("values (?, ?, ?, ?)");
  }

  @Test
  void hqlNumericSuffixesAreLiteralsToo() {
    assertThat(SqlSanitizer.sanitize("from Account a where a.id > 10L and a.owner = 'x'", "hql"))
        .isEqualTo("from Account a where a.id > ? and a.owner = ?");
  }

  @Test
  void resultsAreCachedByRawText() {
    String raw = "select v from cache_probe where k = 'secret'";
    String first = SqlSanitizer.sanitize(raw, "h2");
    assertThat(SqlSanitizer.sanitize(new String(raw.toCharArray()), "h2")).isSameAs(first);
    assertThat(SqlSanitizer.sanitize(raw, "mysql")).isEqualTo(first).isNotSameAs(first);
    assertThat(SqlSanitizer.cached()).isBetween(1, SqlSanitizer.MAX_ENTRIES);
  }

  @Test
  void cacheIsBounded() {
    for (int i = 0; i < SqlSanitizer.MAX_ENTRIES + 10; i++) {
      SqlSanitizer.sanitize("select " + i + " as n_" + i, i % 2 == 0 ? "h2" : null);
    }
    assertThat(SqlSanitizer.cached()).isLessThanOrEqualTo(SqlSanitizer.MAX_ENTRIES);
  }

  @Test
  void messagesLoseQuotedValuesEvenInsideDoubleQuotes() {
    assertThat(
            SqlSanitizer.message(
                "Unique index violation: \"PK ( /* key:9 */ CAST(9 AS BIGINT), 'gina')\" [23505-232]"))
        .isEqualTo("Unique index violation: ? [?-?]");
  }
}
