package dev.weft.it.storage;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import redis.clients.jedis.JedisPool;
import redis.embedded.RedisServer;

/**
 * Servers and clients shared by the cross-category tests, started on first use and stopped when the
 * test JVM exits.
 */
final class SharedServers {
  private SharedServers() {}

  private static RedisServer redis;
  private static int redisPort;
  private static MongoServer mongo;
  private static MongoClient mongoClient;
  private static HikariDataSource hikari;
  private static JedisPool jedisPool;

  static synchronized int redisPort() {
    if (redis == null) {
      redisPort = Servers.freePort();
      try {
        redis = new RedisServer(redisPort);
        redis.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RedisServer r = redis;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(r)));
    }
    return redisPort;
  }

  static synchronized JedisPool jedisPool() {
    if (jedisPool == null) {
      jedisPool = new JedisPool("127.0.0.1", redisPort());
    }
    return jedisPool;
  }

  static synchronized MongoServer mongo() {
    if (mongo == null) {
      mongo = new MongoServer(new MemoryBackend());
      mongo.bind();
      MongoServer m = mongo;
      Runtime.getRuntime().addShutdownHook(new Thread(m::shutdownNow));
    }
    return mongo;
  }

  static String mongoAddress() {
    return "127.0.0.1:" + mongo().getLocalAddress().getPort();
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

  private static void stopQuietly(RedisServer r) {
    try {
      r.stop();
    } catch (IOException e) {
      // exiting anyway
    }
  }
}
