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
    cfg.addAnnotatedClass(FlavorRecord.class);
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

  /**
   * Registers a pool or replaces its URI, weight, flavor and options (Zaqar's PUT is an upsert);
   * returns true when it was new.
   */
  public boolean putPool(String name, String uri, int weight, String flavor, String options) {
    return inTransaction(
        s -> {
          PoolRecord p = s.find(PoolRecord.class, name);
          if (p == null) {
            s.persist(
                new PoolRecord(name, uri, weight, System.currentTimeMillis(), flavor, options));
            return true;
          }
          p.update(uri, weight);
          p.flavor(flavor);
          p.options(options);
          return false;
        });
  }

  /**
   * Changes the given fields of a pool (null: unchanged; an empty flavor: none); returns false when
   * there is no such pool.
   */
  public boolean updatePool(
      String name, String uri, Integer weight, String flavor, String options) {
    return inTransaction(
        s -> {
          PoolRecord p = s.find(PoolRecord.class, name);
          if (p == null) {
            return false;
          }
          if (uri != null) {
            p.uri(uri);
          }
          if (weight != null) {
            p.weight(weight);
          }
          if (flavor != null) {
            p.flavor(flavor.isEmpty() ? null : flavor);
          }
          if (options != null) {
            p.options(options);
          }
          return true;
        });
  }

  /** Removes a pool; returns false when there was none. */
  public boolean deletePool(String name) {
    return inTransaction(
        s -> {
          PoolRecord p = s.find(PoolRecord.class, name);
          if (p == null) {
            return false;
          }
          s.remove(p);
          return true;
        });
  }

  /** The pools that serve a flavor, by name; a null flavor: the pools that serve none. */
  public List<PoolRecord> poolsOfFlavor(String flavor) {
    return read(
        s ->
            flavor == null
                ? s.createSelectionQuery(
                        "from PoolRecord where flavor is null order by name", PoolRecord.class)
                    .list()
                : s.createSelectionQuery(
                        "from PoolRecord where flavor = :f order by name", PoolRecord.class)
                    .setParameter("f", flavor)
                    .list());
  }

  // ---- flavors

  /** Creates a flavor; returns false when it exists. */
  public boolean createFlavor(String name, String project) {
    return inTransaction(
        s -> {
          if (s.find(FlavorRecord.class, name) != null) {
            return false;
          }
          s.persist(new FlavorRecord(name, project, System.currentTimeMillis()));
          return true;
        });
  }

  public FlavorRecord flavor(String name) {
    return read(s -> s.find(FlavorRecord.class, name));
  }

  public List<FlavorRecord> flavors() {
    return read(
        s -> s.createSelectionQuery("from FlavorRecord order by name", FlavorRecord.class).list());
  }

  /** Removes a flavor and takes it off its pools; returns false when there was none. */
  public boolean deleteFlavor(String name) {
    return inTransaction(
        s -> {
          s.createMutationQuery("update PoolRecord set flavor = null where flavor = :f")
              .setParameter("f", name)
              .executeUpdate();
          FlavorRecord f = s.find(FlavorRecord.class, name);
          if (f == null) {
            return false;
          }
          s.remove(f);
          return true;
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

  /** Up to {@code limit} queues whose names sort after {@code marker} (null: from the first). */
  public List<QueueRecord> queues(String marker, int limit) {
    return read(
        s ->
            s.createSelectionQuery(
                    "from QueueRecord where name > :m order by name", QueueRecord.class)
                .setParameter("m", marker == null ? "" : marker)
                .setMaxResults(limit)
                .list());
  }

  /** How many queues there are. */
  public long queueCount() {
    return read(
        s ->
            s.createSelectionQuery("select count(*) from QueueRecord", Long.class)
                .getSingleResult());
  }

  /** Replaces a queue's metadata; returns false when there is no such queue. */
  public boolean setMetadata(String name, String metadata) {
    return inTransaction(
        s -> {
          QueueRecord q = s.find(QueueRecord.class, name);
          if (q == null) {
            return false;
          }
          q.metadata(metadata);
          return true;
        });
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

  public SubscriptionRecord subscription(String id) {
    return read(s -> s.find(SubscriptionRecord.class, id));
  }

  /**
   * Changes the given fields of a subscription (null: unchanged); returns false when there is no
   * such subscription in the queue.
   */
  public boolean updateSubscription(
      String queue, String id, String subscriber, Integer ttl, String options, Boolean confirmed) {
    return inTransaction(
        s -> {
          SubscriptionRecord r = s.find(SubscriptionRecord.class, id);
          if (r == null || !r.getQueue().equals(queue)) {
            return false;
          }
          if (subscriber != null) {
            r.subscriber(subscriber);
          }
          if (ttl != null) {
            r.ttl(ttl, System.currentTimeMillis());
          }
          if (options != null) {
            r.options(options);
          }
          if (confirmed != null) {
            r.confirmed(confirmed);
          }
          return true;
        });
  }

  /** Removes one subscription of a queue; returns false when there was none. */
  public boolean deleteSubscription(String queue, String id) {
    return inTransaction(
        s -> {
          SubscriptionRecord r = s.find(SubscriptionRecord.class, id);
          if (r == null || !r.getQueue().equals(queue)) {
            return false;
          }
          s.remove(r);
          return true;
        });
  }

  /** Removes every subscription of a queue. */
  public void deleteSubscriptions(String queue) {
    inTransaction(
        s ->
            s.createMutationQuery("delete from SubscriptionRecord where queue = :q")
                .setParameter("q", queue)
                .executeUpdate());
  }

  @Override
  public void close() {
    sessions.close();
  }
}
