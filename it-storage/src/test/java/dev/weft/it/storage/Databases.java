package dev.weft.it.storage;

import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/** Hibernate session factories over HikariCP, for H2 and the PostgreSQL service. */
final class Databases {
  private Databases() {}

  static final String H2_URL = "jdbc:h2:mem:weftit;DB_CLOSE_DELAY=-1";
  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  static SessionFactory h2(String poolName) {
    return build(H2_URL, "sa", "", poolName);
  }

  static SessionFactory postgres(String poolName) {
    return build(PG_URL, "postgres", "", poolName);
  }

  static SessionFactory build(String url, String user, String password, String poolName) {
    Configuration c = new Configuration();
    c.addAnnotatedClass(Account.class);
    c.setProperty("hibernate.connection.url", url);
    c.setProperty("hibernate.connection.username", user);
    c.setProperty("hibernate.connection.password", password);
    c.setProperty(
        "hibernate.connection.provider_class",
        "org.hibernate.hikaricp.internal.HikariCPConnectionProvider");
    c.setProperty("hibernate.hikari.poolName", poolName);
    c.setProperty("hibernate.hikari.maximumPoolSize", "2");
    c.setProperty("hibernate.hbm2ddl.auto", "create-drop");
    c.setProperty("hibernate.jdbc.batch_size", "10");
    c.setProperty("hibernate.show_sql", "false");
    return c.buildSessionFactory();
  }
}
