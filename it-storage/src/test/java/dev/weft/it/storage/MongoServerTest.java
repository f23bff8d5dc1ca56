package dev.weft.it.storage;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MongoSuite} against mongo-java-server (memory backend), which speaks the MongoDB wire
 * protocol. No mongod is installable here, so there is no service parameterisation.
 */
class MongoServerTest extends MongoSuite {
  static MongoServer server;
  static String uri;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    uri = server.bindAndGetConnectionString();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
  }

  @Override
  String address() {
    return "127.0.0.1:" + server.getLocalAddress().getPort();
  }

  @Override
  String connectionString() {
    return uri;
  }
}
