package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.collect.Collectors;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.PartialFailure;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * The connection to a real redis-server is cut in the middle of a batch's replies: a TCP relay
 * between the collector and the server passes the first {@value #PASSED} {@code LPUSH} replies of
 * the batch and then closes both sides. The collector counts exactly the traces whose replies it
 * did not read as lost, and those it read are in Redis.
 */
class RedisConnectionCutTest {
  private static final int TRACES = 40; // one span each: one chunk, one LPUSH per trace
  private static final int PASSED = 15;

  private RedisServer server;
  private int redisPort;
  private ServerSocket relay;
  private Thread relayThread;

  @BeforeEach
  void start() throws Exception {
    redisPort = TestSupport.freePort();
    server = TestSupport.startRedis(redisPort);
    relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    relayThread = new Thread(this::relayOne, "redis-cut-relay");
    relayThread.setDaemon(true);
    relayThread.start();
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    server.stop();
  }

  /** Relays one connection; after {@value #PASSED} integer replies it closes both sides. */
  private void relayOne() {
    try (Socket client = relay.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
      Thread up =
          new Thread(
              () -> {
                try {
                  client.getInputStream().transferTo(upstream.getOutputStream());
                } catch (IOException closed) {
                  // the relay cut the connection
                }
              },
              "redis-cut-relay-up");
      up.setDaemon(true);
      up.start();
      InputStream in = new BufferedInputStream(upstream.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      int integers = 0;
      boolean lineStart = true;
      boolean integerLine = false;
      for (int b; (b = in.read()) >= 0; ) {
        out.write(b);
        if (lineStart) {
          integerLine = b == ':';
        }
        lineStart = b == '\n';
        if (lineStart) {
          out.flush();
          if (integerLine && ++integers == PASSED) {
            return; // closes both sockets
          }
        }
      }
    } catch (IOException e) {
      // the test ends with the relay
    }
  }

  @Test
  void aConnectionCutAmidAChunksReplies_losesExactlyTheTracesWhoseRepliesWereNotRead()
      throws Exception {
    List<Event> batch = new ArrayList<>();
    List<String> bases = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      String base = "cut-" + i + "-" + UUID.randomUUID();
      bases.add(base);
      batch.add(new Event(base, "op-start", "{\"base_id\": \"" + base + "\"}", "t", false));
      batch.add(new Event(base, "op-stop", "{\"base_id\": \"" + base + "\"}", "t", false));
    }
    try (Collector c =
        Collectors.collector("redis://127.0.0.1:" + relay.getLocalPort(), Map.of())) {
      assertThatThrownBy(() -> c.store(batch))
          .isInstanceOfSatisfying(
              PartialFailure.class,
              pf -> {
                assertThat(pf.failedTraces())
                    .containsExactlyInAnyOrderElementsOf(bases.subList(PASSED, TRACES));
                assertThat(pf.failedEvents()).isEqualTo(2 * (TRACES - PASSED));
              });
    }
    // What was counted as stored is in Redis. (The others may be too: their replies went with the
    // connection, which no client can settle.)
    try (JedisPooled r = new JedisPooled("127.0.0.1", redisPort)) {
      for (String base : bases.subList(0, PASSED)) {
        assertThat(r.llen(RedisRoundTripSuite.RedisKeys.list(base))).as(base).isEqualTo(2);
      }
    }
  }
}
