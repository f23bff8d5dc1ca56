package dev.weft.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the servlet and HTTP integrations record of a query string. */
class QueriesTest {
  @Test
  void everyValueBecomesAQuestionMark_namesStay() {
    assertThat(Queries.redact("token=S3CR3T&page=2")).isEqualTo("token=?&page=?");
    assertThat(Queries.redact("a=1;b=x%20y&flag&c=")).isEqualTo("a=?;b=?&flag&c=?");
    assertThat(Queries.redact("k=v=w")).isEqualTo("k=?");
    assertThat(Queries.recorded(null)).isEmpty();
    assertThat(Queries.recorded("")).isEmpty();
  }

  @Test
  void aLongQueryIsBounded() {
    String q = "k" + "x".repeat(1000) + "=v";
    assertThat(Queries.recorded(q)).hasSize(256 + "...".length()).endsWith("...");
  }
}
