package dev.weft.testapp.storage;

/**
 * A message as a pool stores it.
 *
 * @param id the message id (a UUID)
 * @param body the message body as JSON text
 * @param ttl the time to live in seconds
 * @param createdMillis when it was posted (epoch milliseconds)
 */
public record StoredMessage(String id, String body, int ttl, long createdMillis) {

  /** Whether the message has outlived its ttl at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return createdMillis + ttl * 1000L <= nowMillis;
  }
}
