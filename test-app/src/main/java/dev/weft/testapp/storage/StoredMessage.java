package dev.weft.testapp.storage;

/**
 * A message as a pool stores it, with its claim when it has one (as Zaqar's MongoDB driver keeps a
 * claim inside each message it holds).
 *
 * @param id the message id (a UUID)
 * @param body the message body as JSON text
 * @param ttl the time to live in seconds (a claim can raise it to the claim's ttl + grace)
 * @param createdMillis when it was posted (epoch milliseconds)
 * @param expiresMillis when it expires (epoch milliseconds)
 * @param clientId the Client-ID of the poster, or null
 * @param claimId the id of the claim that holds it, or null; the claim may have expired
 * @param claimTtl the claim's ttl in seconds (0 without a claim)
 * @param claimExpiresMillis when the claim expires (0 without a claim)
 */
public record StoredMessage(
    String id,
    String body,
    int ttl,
    long createdMillis,
    long expiresMillis,
    String clientId,
    String claimId,
    int claimTtl,
    long claimExpiresMillis) {

  /** An unclaimed message that expires {@code ttl} seconds after it was posted. */
  public StoredMessage(String id, String body, int ttl, long createdMillis, String clientId) {
    this(id, body, ttl, createdMillis, createdMillis + ttl * 1000L, clientId, null, 0, 0);
  }

  /** Whether the message has outlived its ttl at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresMillis <= nowMillis;
  }

  /** Whether a live claim holds the message at {@code nowMillis}. */
  public boolean claimedAt(long nowMillis) {
    return claimId != null && claimExpiresMillis > nowMillis;
  }

  /** This message held by a claim, with the expiry the claim gives it. */
  public StoredMessage claimed(
      String claimId, int claimTtl, long claimExpiresMillis, int ttl, long expiresMillis) {
    return new StoredMessage(
        id,
        body,
        ttl,
        createdMillis,
        expiresMillis,
        clientId,
        claimId,
        claimTtl,
        claimExpiresMillis);
  }

  /** This message released from its claim. */
  public StoredMessage released() {
    return new StoredMessage(id, body, ttl, createdMillis, expiresMillis, clientId, null, 0, 0);
  }
}
