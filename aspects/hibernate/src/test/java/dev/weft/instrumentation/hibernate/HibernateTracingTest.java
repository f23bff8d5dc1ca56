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
}
