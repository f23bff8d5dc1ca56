package dev.weft.it.storage;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisServer;

/** {@link RedisSuite} against the real redis-server that embedded-redis ships. */
class RedisEmbeddedTest extends RedisSuite {
  static RedisServer server;
  static int port;

  @BeforeAll
  static void start() throws IOException {
    port = Servers.freePort();
    server = new RedisServer(port);
    server.start();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop();
  }

  @Override
  String host() {
    return "127.0.0.1";
  }

  @Override
  int port() {
    return port;
  }
}
