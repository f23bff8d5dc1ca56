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

  /** A free TCP port on this machine, at the time of the call. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of this JVM's Redis server, started on first use. */
  public static int redisPort() {
    return Redis.port();
  }

  /** {@code 127.0.0.1:<port>} of this JVM's MongoDB server (in memory), started on first use. */
  public static String mongoAddress() {
    return Mongo.address();
  }

  /**
   * Design note: each server's types are named only inside its own nested class, so a test that
   * uses Redis never needs mongo-java-server on its class path, and the other way round.
   */
  private static final class Redis {
    private static int port;

    static synchronized int port() {
      if (port == 0) {
        int p = freePort();
        redis.embedded.RedisServer server;
        try {
          server = new redis.embedded.RedisServer(p);
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
        port = p;
      }
      return port;
    }
  }

  private static final class Mongo {
    private static de.bwaldvogel.mongo.MongoServer server;

    static synchronized String address() {
      if (server == null) {
        de.bwaldvogel.mongo.MongoServer s =
            new de.bwaldvogel.mongo.MongoServer(
                new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
        s.bind("127.0.0.1", freePort());
        Runtime.getRuntime().addShutdownHook(new Thread(s::shutdownNow));
        server = s;
      }
      return "127.0.0.1:" + server.getLocalAddress().getPort();
    }
  }
}
