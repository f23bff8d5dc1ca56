package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Real servers for tests, started on a free loopback port on first use and stopped when the JVM
 * exits: a Redis server (the redis-server binary of {@code com.github.codemonstur:embedded-redis})
 * and a MongoDB wire-protocol server ({@code de.bwaldvogel:mongo-java-server} with its memory
 * backend). Add the library of the one you use to your test dependencies; weft-testing names them
 * as optional.
 */
public final class EmbeddedServers {
  private EmbeddedServers() {}

  private static int redisPort;
  private static Object mongo;

  /** A free TCP port on this machine, at the time of the call. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of this JVM's Redis server, started on first use. */
  public static synchronized int redisPort() {
    if (redisPort == 0) {
      int port = freePort();
      redis.embedded.RedisServer server;
      try {
        server = new redis.embedded.RedisServer(port);
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      redis.embedded.RedisServer s = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.stop();
                    } catch (IOException ignored) {
                      // exiting anyway
                    }
                  }));
      redisPort = port;
    }
    return redisPort;
  }

  /** {@code 127.0.0.1:<port>} of this JVM's MongoDB server (in memory), started on first use. */
  public static synchronized String mongoAddress() {
    if (mongo == null) {
      de.bwaldvogel.mongo.MongoServer server =
          new de.bwaldvogel.mongo.MongoServer(
              new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
      server.bind("127.0.0.1", freePort());
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
      mongo = server;
    }
    return "127.0.0.1:" + ((de.bwaldvogel.mongo.MongoServer) mongo).getLocalAddress().getPort();
  }
}
