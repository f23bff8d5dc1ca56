package dev.weft.collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisServer;

/** {@link RedisRoundTripSuite} against a real redis-server started for the test. */
class EmbeddedRedisRoundTripTest extends RedisRoundTripSuite {
  private static RedisServer server;
  private static int port;

  @BeforeAll
  static void startRedis() throws Exception {
    port = TestSupport.freePort();
    server = TestSupport.startRedis(port);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  String hostPort() {
    return "127.0.0.1:" + port;
  }
}
