package dev.weft.testapp.demo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * The servers the demo (and the tests) start themselves: a real redis-server (shipped inside
 * embedded-redis) and mongo-java-server with its in-memory backend, both on 127.0.0.1.
 */
public final class EmbeddedServers {
  private EmbeddedServers() {}

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** A running redis-server. */
  public static final class Redis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private Redis(RedisServer server, int port) {
      this.server = server;
      this.port = port;
    }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String uri() {
      return "redis://127.0.0.1:" + port + "/0";
    }

    public int port() {
      return port;
    }

    @Override
    public void close() throws IOException {
      server.stop();
    }
  }

  /** Starts redis-server on a free port, without persistence. */
  public static Redis redis() throws IOException {
    int port = freePort();
    RedisServer server =
        RedisServer.newRedisServer()
            .bind("127.0.0.1")
            .port(port)
            .setting("save \"\"")
            .setting("appendonly no")
            .soutListener(line -> {})
            .serrListener(line -> {})
            .build();
    server.start();
    return new Redis(server, port);
  }

  /** A running MongoDB-protocol server. */
  public static final class Mongo implements AutoCloseable {
    private final MongoServer server;
    private final InetSocketAddress address;

    private Mongo(MongoServer server, InetSocketAddress address) {
      this.server = server;
      this.address = address;
    }

    /** {@code mongodb://127.0.0.1:<port>/<database>}. */
    public String uri(String database) {
      return "mongodb://127.0.0.1:" + address.getPort() + "/" + database;
    }

    @Override
    public void close() {
      server.shutdownNow();
    }
  }

  /** Starts mongo-java-server (memory backend) on a free port. */
  public static Mongo mongo() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    return new Mongo(server, server.getLocalAddress());
  }
}
