package dev.weft.testapp.storage;

import java.util.List;
import java.util.function.Predicate;

/**
 * The message data of the queues mapped to one pool. Every method is scoped to one queue; a pool
 * holds the messages of many queues. Claims live inside the messages they hold ({@link
 * StoredMessage#claimId()}), as in Zaqar's MongoDB driver; the API serialises the claim operations
 * of a queue, so a store needs no compare-and-set of its own.
 */
public interface MessageStore extends AutoCloseable {

  /** The pool's kind: {@code mongodb}, {@code redis} or {@code sql}. */
  String kind();

  /** Stores a message posted by {@code clientId} (or null) and returns it with its new id. */
  StoredMessage post(String queue, String body, int ttl, String clientId);

  /**
   * Up to {@code limit} live messages of the queue posted after {@code afterMillis} (0: all),
   * oldest first, that pass {@code filter}.
   */
  List<StoredMessage> scan(
      String queue, long afterMillis, int limit, Predicate<StoredMessage> filter);

  /** One live message, or null. */
  StoredMessage get(String queue, String id);

  /**
   * Writes a message's ttl, expiry and claim fields (the rest is fixed at posting); returns whether
   * it still existed.
   */
  boolean update(String queue, StoredMessage message);

  /** Deletes one message; returns whether it existed. */
  boolean delete(String queue, String id);

  /** Deletes every message of the queue. */
  void drop(String queue);

  /** Whether the store answers (a cheap round trip). */
  boolean alive();

  /** Stores a message with no Client-ID. */
  default StoredMessage post(String queue, String body, int ttl) {
    return post(queue, body, ttl, null);
  }

  /** Up to {@code limit} live messages of the queue, oldest first. */
  default List<StoredMessage> list(String queue, int limit) {
    return scan(queue, 0, limit, m -> true);
  }

  @Override
  void close();
}
