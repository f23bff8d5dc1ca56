package dev.weft.it.storage;

/** Helpers for the servers the suites start. */
final class Servers {
  private Servers() {}

  static int freePort() {
    return dev.weft.testing.EmbeddedServers.freePort();
  }
}
