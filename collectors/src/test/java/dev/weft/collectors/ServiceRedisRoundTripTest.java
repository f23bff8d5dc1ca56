package dev.weft.collectors;

import org.junit.jupiter.api.Assumptions;

/**
 * {@link RedisRoundTripSuite} against the Redis at 127.0.0.1:6379, when {@code WEFT_IT_SERVICES=1}.
 * Only keys of the traces the tests write are touched.
 */
class ServiceRedisRoundTripTest extends RedisRoundTripSuite {
  @Override
  void assumeAvailable() {
    Assumptions.assumeTrue(
        "1".equals(System.getenv("WEFT_IT_SERVICES")),
        "skipped: set WEFT_IT_SERVICES=1 to run against the Redis at 127.0.0.1:6379");
  }

  @Override
  String hostPort() {
    return "127.0.0.1:6379";
  }
}
