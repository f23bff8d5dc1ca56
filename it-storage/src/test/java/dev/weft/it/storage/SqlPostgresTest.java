package dev.weft.it.storage;

import java.util.List;
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
  List<String> scrubbedErrors() {
    return List.of(
        "ERROR: duplicate key value violates unique constraint ?\n"
            + "  Detail: Key (email)=(?) already exists.",
        // from the first =( to the line's last ): the value, and here the statement after it
        "JDBC exception executing SQL [ERROR: duplicate key value violates unique constraint ?\n"
            + "  Detail: Key (email)=(?)]",
        "ERROR: invalid input syntax for type integer: ?",
        "JDBC exception executing SQL [ERROR: invalid input syntax for type integer: ?]"
            + " [select cast(email as integer) from weft_unique]");
  }

  @Override
  SessionFactory factory() {
    return factory;
  }
}
