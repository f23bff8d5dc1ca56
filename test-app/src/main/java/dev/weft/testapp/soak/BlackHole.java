package dev.weft.testapp.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener on the collector's port that accepts every connection and never answers: the network
 * path of a backend that hangs (a black-holed route, a frozen server).
 */
final class BlackHole implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  BlackHole(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      try {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        last = null;
        break;
      } catch (IOException e) {
        last = e; // the killed server's socket may linger for a moment
        sleep(100);
      }
    }
    if (last != null) {
      throw last;
    }
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  held.add(server.accept());
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "soak-black-hole");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
