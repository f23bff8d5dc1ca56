package dev.weft.it.storage;

import java.util.List;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link SqlSuite} against H2 in memory. */
class SqlH2Test extends SqlSuite {
  static SessionFactory factory;

  @BeforeAll
  static void open() {
    factory = Databases.h2("weft-h2");
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Override
  String system() {
    return "h2";
  }

  @Override
  boolean failsAtPrepare() {
    return true;
  }

  @Override
  List<String> scrubbedErrors() {
    return List.of(
        "Unique index or primary key violation: ?; SQL statement:\n"
            + "insert into weft_unique (email) values (?) [?-?]",
        // Hibernate's message is cut to weft.max_value_length before it is scrubbed
        "JDBC exception executing SQL [Unique index or primary key violation: ?; SQL statement:\n"
            + "insert into weft_unique (email) values (?) [?-?]] [ins...",
        "Data conversion error converting ?; SQL statement:\n"
            + "select cast(email as integer) from weft_unique [?-?]",
        "JDBC exception executing SQL [Data conversion error converting ?; SQL statement:\n"
            + "select cast(email as integer) from weft_unique [?-?]]"
            + " [select cast(email as integer) from weft_unique]");
  }

  @Override
  SessionFactory factory() {
    return factory;
  }
}
