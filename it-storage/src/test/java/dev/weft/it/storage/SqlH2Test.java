package dev.weft.it.storage;

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
  SessionFactory factory() {
    return factory;
  }
}
