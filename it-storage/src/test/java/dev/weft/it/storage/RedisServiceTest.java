package dev.weft.it.storage;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** {@link RedisSuite} against the Redis server at 127.0.0.1:6379 (WEFT_IT_SERVICES=1). */
class RedisServiceTest extends RedisSuite {
  /** Runs before the suite's own set-up, so each test is reported as skipped with the reason. */
  @BeforeEach
  @Override
  void connect() {
    Assumptions.assumeTrue(Spans.services(), Spans.SERVICES_SKIPPED);
    super.connect();
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
