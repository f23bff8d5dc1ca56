package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.mongodb.MongoTimeoutException;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.weft.Weft;
import dev.weft.internal.collect.Collectors;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * DESIGN §8 at the collector level: a backend that is down or hangs makes {@code store} throw
 * within the collector's timeouts (never block for good), and the same collector stores again once
 * the backend is reachable. The 60 s guards only catch a hang; nothing here measures speed.
 */
class BackendFailureTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static List<Event> batch;

  @BeforeAll
  static void events() {
    Weft.set("weft.enabled", "true");
    Weft.set("weft.connection_string", "memory://");
    batch = TestSupport.weftTrace();
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  void redisNotListening_storeThrows() throws Exception {
    int closed = TestSupport.freePort();
    try (Collector c = Collectors.collector("redis://127.0.0.1:" + closed, Map.of())) {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () ->
              assertThatThrownBy(() -> c.store(batch))
                  .isInstanceOf(JedisConnectionException.class));
    }
  }

  /** A server that accepts connections and never answers: the read timeout ends the wait. */
  @Test
  void redisHanging_storeThrowsOnTheReadTimeout() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      try (Collector c =
          Collectors.collector("redis://127.0.0.1:" + silent.getLocalPort(), Map.of())) {
        assertTimeoutPreemptively(
            HANG_GUARD,
            () ->
                assertThatThrownBy(() -> c.store(batch))
                    .isInstanceOf(JedisConnectionException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class));
      }
      assertThat(accepted).isNotEmpty();
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void mongoDown_storeThrows_thenStoresOnceTheServerIsUp() throws Exception {
    int port = TestSupport.freePort();
    String cs = "mongodb://127.0.0.1:" + port;
    try (Collector c = Collectors.collector(cs, Map.of())) {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> assertThatThrownBy(() -> c.store(batch)).isInstanceOf(MongoTimeoutException.class));
      MongoServer server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", port);
      try {
        assertTimeoutPreemptively(HANG_GUARD, () -> c.store(batch));
        try (TraceReader r = Collectors.reader(cs)) {
          assertThat(r.events(batch.get(0).baseId()))
              .containsExactlyInAnyOrderElementsOf(batch.stream().map(Event::json).toList());
        }
      } finally {
        server.shutdownNow();
      }
    }
  }

  @Test
  void badConnectionStrings_areRejectedWithTheirPasswordRedacted() {
    assertThatThrownBy(() -> Collectors.collector("redis://:s3cret@/0", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Redis connection string needs a host: redis://***@/0");
    assertThatThrownBy(() -> Collectors.collector("redis://:s3cret@localhost:6379/x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Redis database must be a number: redis://***@localhost:6379/x");
    assertThatThrownBy(() -> Collectors.collector("otlp:///v1/traces", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OTLP connection string needs otlp://host:port: otlp:///v1/traces");
  }
}
