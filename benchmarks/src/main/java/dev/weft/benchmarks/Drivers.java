package dev.weft.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import org.bson.Document;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import redis.embedded.RedisServer;

/** The servers and driver clients of {@link DriverOverhead} and {@link LtwStartup}. */
final class Drivers {
  private Drivers() {}

  /** redis-server (embedded-redis) on a free port of 127.0.0.1, without persistence. */
  static RedisServer redisServer(int port) throws IOException {
    RedisServer server =
        RedisServer.newRedisServer()
            .bind("127.0.0.1")
            .port(port)
            .setting("save \"\"")
            .setting("appendonly no")
            .soutListener(line -> {})
            .serrListener(line -> {})
            .build();
    server.start();
    return server;
  }

  /** mongo-java-server (memory backend) on a free port of 127.0.0.1. */
  static MongoServer mongoServer() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    return server;
  }

  static MongoClient mongoClient(MongoServer server) {
    return MongoClients.create(
        "mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/?retryWrites=false");
  }

  static MongoCollection<Document> items(MongoClient client) {
    return client.getDatabase("bench").getCollection("items");
  }

  /**
   * Hibernate over HikariCP on an in-memory H2 database, schema created for {@link BenchAccount}.
   */
  static SessionFactory hibernate(String database) {
    Configuration c = new Configuration();
    c.addAnnotatedClass(BenchAccount.class);
    c.setProperty("hibernate.connection.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
    c.setProperty("hibernate.connection.username", "sa");
    c.setProperty("hibernate.connection.password", "");
    c.setProperty(
        "hibernate.connection.provider_class",
        "org.hibernate.hikaricp.internal.HikariCPConnectionProvider");
    c.setProperty("hibernate.hikari.maximumPoolSize", "2");
    c.setProperty("hibernate.hbm2ddl.auto", "create-drop");
    c.setProperty("hibernate.show_sql", "false");
    return c.buildSessionFactory();
  }

  /** One query through a new session: the SQL benchmarks' operation. */
  static String queryOwner(SessionFactory sf, long id) {
    try (var session = sf.openSession()) {
      return session
          .createSelectionQuery("from BenchAccount where id = :id", BenchAccount.class)
          .setParameter("id", id)
          .getSingleResult()
          .owner();
    }
  }
}
