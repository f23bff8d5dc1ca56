package dev.weft.it.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Helpers for the servers the suites start. */
final class Servers {
  private Servers() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
