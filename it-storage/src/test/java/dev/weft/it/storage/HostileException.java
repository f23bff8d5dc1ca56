package dev.weft.it.storage;

/**
 * An application exception whose {@code getMessage()} throws; one instance, to compare by identity.
 */
final class HostileException extends RuntimeException {
  static final HostileException ONE = new HostileException();

  @Override
  public String getMessage() {
    throw new IllegalStateException("getMessage() refuses");
  }

  @Override
  public String toString() {
    return "HostileException";
  }
}
