package dev.weft.it.storage;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.testing.EmbeddedServers;
import redis.clients.jedis.JedisPool;

/**
 * Servers and clients shared by the cross-category tests, started on first use and stopped when the
 * test JVM exits.
 */
final class SharedServers {
  private SharedServers() {}

  private static MongoClient mongoClient;
  private static HikariDataSource hikari;
  private static JedisPool jedisPool;

  static int redisPort() {
    return EmbeddedServers.redisPort();
  }

  static synchronized JedisPool jedisPool() {
    if (jedisPool == null) {
      jedisPool = new JedisPool("127.0.0.1", redisPort());
    }
    return jedisPool;
  }

  static String mongoAddress() {
    return EmbeddedServers.mongoAddress();
  }

  static synchronized MongoClient mongoClient() {
    if (mongoClient == null) {
      mongoClient = MongoClients.create("mongodb://" + mongoAddress());
    }
    return mongoClient;
  }

  /** A HikariCP pool over an H2 database of its own, named {@code weft-hikari}. */
  static synchronized HikariDataSource hikari() {
    if (hikari == null) {
      HikariConfig c = new HikariConfig();
      c.setJdbcUrl("jdbc:h2:mem:weftpool;DB_CLOSE_DELAY=-1");
      c.setUsername("sa");
      c.setPassword("");
      c.setPoolName("weft-hikari");
      c.setMaximumPoolSize(2);
      hikari = new HikariDataSource(c);
    }
    return hikari;
  }
}
