package dev.weft.it.storage;

import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** {@link SqlSuite} against PostgreSQL at 127.0.0.1:5432, database test (WEFT_IT_SERVICES=1). */
class SqlPostgresTest extends SqlSuite {
  static SessionFactory factory;

  /** Runs before the suite's own set-up, so each test is reported as skipped with the reason. */
  @BeforeEach
  @Override
  void clean() {
    Assumptions.assumeTrue(Spans.services(), Spans.SERVICES_SKIPPED);
    if (factory == null) {
      factory = Databases.postgres("weft-pg");
    }
    super.clean();
  }

  @AfterAll
  static void close() {
    if (factory != null) {
      factory.close();
    }
  }

  @Override
  String system() {
    return "postgresql";
  }

  @Override
  boolean failsAtPrepare() {
    return false;
  }

  @Override
  SessionFactory factory() {
    return factory;
  }
}
