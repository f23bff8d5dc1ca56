package dev.weft.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcTracingTest {
  @Test
  void jdbcUrlsNameTheirSystem() {
    assertThat(JdbcTracing.systemOf("jdbc:h2:mem:x")).isEqualTo("h2");
    assertThat(JdbcTracing.systemOf("jdbc:postgresql://127.0.0.1:5432/test"))
        .isEqualTo("postgresql");
    assertThat(JdbcTracing.systemOf("jdbc:pgsql://h/db")).isEqualTo("postgresql");
    assertThat(JdbcTracing.systemOf("jdbc:sqlserver://h")).isEqualTo("mssql");
    assertThat(JdbcTracing.systemOf("jdbc:")).isEqualTo("other_sql");
    assertThat(JdbcTracing.systemOf("not-a-url")).isEqualTo("other_sql");
    assertThat(JdbcTracing.systemOf(null)).isEqualTo("other_sql");
  }
}
