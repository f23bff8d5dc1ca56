package dev.weft.instrumentation.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The entity a session operation names: its class name, never its field values. */
class HibernateTracingTest {
  record Account(long id, String secret) {}

  @Test
  void anEntityIsNamedByItsClass_anEntityNameOrClassAsGiven() {
    assertThat(HibernateTracing.entityName(new Account(1, "S3CR3T")))
        .isEqualTo(Account.class.getName());
    assertThat(HibernateTracing.entityName(Account.class)).isEqualTo(Account.class.getName());
    assertThat(HibernateTracing.entityName("Account")).isEqualTo("Account");
    assertThat(HibernateTracing.entityName(null)).isNull();
  }

  /** A dialect written for a database names its db.system, so native SQL is read by its rules. */
  static class ShopDialect extends org.hibernate.dialect.PostgreSQLDialect {}

  @Test
  void aDialectNamesTheSystemWhoseRulesReadNativeSql() {
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.H2Dialect.class)).isEqualTo("h2");
    assertThat(HibernateTracing.systemOf(ShopDialect.class)).isEqualTo("postgresql");
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.MariaDBDialect.class))
        .isEqualTo("mariadb");
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.MySQLDialect.class))
        .isEqualTo("mysql");
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.SQLServerDialect.class))
        .isEqualTo("mssql");
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.OracleDialect.class))
        .isEqualTo("oracle");
    assertThat(HibernateTracing.systemOf(org.hibernate.dialect.CockroachDialect.class)).isNull();
    assertThat(HibernateTracing.HibernateQueries.syntax(null)).isEqualTo("hql");
  }
}
