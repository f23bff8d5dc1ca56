package dev.weft.it.storage;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@link RedisSuite} against the Redis server at 127.0.0.1:6379 (WEFT_IT_SERVICES=1). */
class RedisServiceTest extends RedisSuite {
  @BeforeAll
  static void requireService() {
    Assumptions.assumeTrue(Spans.services(), Spans.SERVICES_SKIPPED);
  }

  @Override
  String host() {
    return "127.0.0.1";
  }

  @Override
  int port() {
    return 6379;
  }
}
