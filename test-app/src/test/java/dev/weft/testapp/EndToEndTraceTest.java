package dev.weft.testapp;

/**
 * The end-to-end trace suite against redis-server (embedded), mongo-java-server and H2: management
 * data in H2, the queue in the Redis pool.
 */
class EndToEndTraceTest extends EndToEndTraceSuite {
  @Override
  Fixture start(String api, String subscriber) throws Exception {
    return new Fixture(api, subscriber);
  }

  @Override
  String queueName() {
    return "e2e";
  }

  @Override
  String recordedQueueName() {
    return "e2e";
  }

  @Override
  String sqlPool() {
    return "sql";
  }

  @Override
  String dbSystem() {
    return "h2";
  }
}
