package dev.weft.testapp.storage;

import java.util.List;

/**
 * The message data of the queues mapped to one pool. Every method is scoped to one queue; a pool
 * holds the messages of many queues.
 */
public interface MessageStore extends AutoCloseable {

  /** The pool's kind: {@code mongodb}, {@code redis} or {@code sql}. */
  String kind();

  /** Stores a message and returns it with its new id. */
  StoredMessage post(String queue, String body, int ttl);

  /** Up to {@code limit} live messages of the queue, oldest first. */
  List<StoredMessage> list(String queue, int limit);

  /** One live message, or null. */
  StoredMessage get(String queue, String id);

  /** Deletes one message; returns whether it existed. */
  boolean delete(String queue, String id);

  /** Deletes every message of the queue. */
  void drop(String queue);

  @Override
  void close();
}
