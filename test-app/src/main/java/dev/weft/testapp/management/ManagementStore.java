package dev.weft.testapp.management;

import dev.weft.testapp.storage.MessageStores;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * The management data — pools, the queue catalog and metadata, subscriptions — in SQL through
 * Hibernate ORM over HikariCP. H2 (in memory) by default; PostgreSQL when given a {@code
 * jdbc:postgresql:} URL. Tables are created or updated at start.
 */
public final class ManagementStore implements AutoCloseable {
  /** The default management database: an in-memory H2 that lives as long as the process. */
  public static final String DEFAULT_URL = "jdbc:h2:mem:weft-management;DB_CLOSE_DELAY=-1";

  private final SessionFactory sessions;

  public ManagementStore(String jdbcUrl) {
    Properties p = new Properties();
    p.setProperty("hibernate.connection.provider_class", "hikaricp");
    p.setProperty("hibernate.hikari.jdbcUrl", jdbcUrl);
    p.setProperty("hibernate.hikari.maximumPoolSize", "8");
    p.setProperty("hibernate.hikari.minimumIdle", "1");
    p.setProperty("hibernate.hikari.connectionTimeout", "5000");
    p.setProperty("hibernate.hikari.poolName", "management");
    p.setProperty("hibernate.hbm2ddl.auto", "update");
    p.setProperty("hibernate.show_sql", "false");
    p.setProperty("hibernate.boot.allow_jdbc_metadata_access", "true");
    Configuration cfg = new Configuration();
    cfg.addProperties(p);
    cfg.addAnnotatedClass(PoolRecord.class);
    cfg.addAnnotatedClass(QueueRecord.class);
    cfg.addAnnotatedClass(SubscriptionRecord.class);
    this.sessions = cfg.buildSessionFactory();
  }

  /** Whether the URL names a database the management store can use. */
  public static boolean supports(String jdbcUrl) {
    return "sql".equals(MessageStores.kindOf(jdbcUrl));
  }

  private <T> T inTransaction(Function<Session, T> work) {
    return sessions.fromTransaction(work);
  }

  private <T> T read(Function<Session, T> work) {
    return sessions.fromSession(work);
  }

  // ---- pools

  /** Registers a pool or updates its URI and weight; returns true when it was new. */
  public boolean putPool(String name, String uri, int weight) {
    return inTransaction(
        s -> {
          PoolRecord p = s.find(PoolRecord.class, name);
          if (p == null) {
            s.persist(new PoolRecord(name, uri, weight, System.currentTimeMillis()));
            return true;
          }
          p.update(uri, weight);
          return false;
        });
  }

  public PoolRecord pool(String name) {
    return read(s -> s.find(PoolRecord.class, name));
  }

  public List<PoolRecord> pools() {
    return read(
        s -> s.createSelectionQuery("from PoolRecord order by name", PoolRecord.class).list());
  }

  // ---- queues (catalog + metadata)

  /** Enters a queue in the catalog with its pool; returns false when it already exists. */
  public boolean createQueue(String name, String pool, String metadata) {
    return inTransaction(
        s -> {
          if (s.find(QueueRecord.class, name) != null) {
            return false;
          }
          s.persist(new QueueRecord(name, pool, metadata, System.currentTimeMillis()));
          return true;
        });
  }

  public QueueRecord queue(String name) {
    return read(s -> s.find(QueueRecord.class, name));
  }

  public List<QueueRecord> queues() {
    return read(
        s -> s.createSelectionQuery("from QueueRecord order by name", QueueRecord.class).list());
  }

  /** Removes a queue and its subscriptions; returns false when it did not exist. */
  public boolean deleteQueue(String name) {
    return inTransaction(
        s -> {
          QueueRecord q = s.find(QueueRecord.class, name);
          if (q == null) {
            return false;
          }
          s.createMutationQuery("delete from SubscriptionRecord where queue = :q")
              .setParameter("q", name)
              .executeUpdate();
          s.remove(q);
          return true;
        });
  }

  // ---- subscriptions

  public void addSubscription(SubscriptionRecord r) {
    inTransaction(
        s -> {
          s.persist(r);
          return null;
        });
  }

  /** The subscriptions of a queue, oldest first (expired ones included; callers filter). */
  public List<SubscriptionRecord> subscriptions(String queue) {
    return read(
        s ->
            s.createSelectionQuery(
                    "from SubscriptionRecord where queue = :q order by created, id",
                    SubscriptionRecord.class)
                .setParameter("q", queue)
                .list());
  }

  @Override
  public void close() {
    sessions.close();
  }
}
