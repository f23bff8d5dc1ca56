package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.management.PoolRecord;
import dev.weft.testapp.management.QueueRecord;
import dev.weft.testapp.management.SubscriptionRecord;
import dev.weft.testapp.notify.WebhookNotifier;
import dev.weft.testapp.pooling.Catalog;
import dev.weft.testapp.pooling.PoolRegistry;
import dev.weft.testapp.pooling.PoolSelector;
import dev.weft.testapp.storage.MessageStore;
import dev.weft.testapp.storage.MessageStores;
import dev.weft.testapp.storage.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the API does, independent of HTTP: validation first (a refused request changes nothing),
 * then the catalog, the pool's store and the subscribers.
 */
public final class QueueService {
  /** Zaqar's rule for queue and pool names. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  public static final int MAX_MESSAGES_PER_POST = 10;
  public static final int MAX_TTL = 1_209_600;
  public static final int MIN_TTL = 60;
  public static final int DEFAULT_TTL = 3600;

  private final ManagementStore management;
  private final Catalog catalog;
  private final PoolSelector selector;
  private final PoolRegistry pools;
  private final WebhookNotifier notifier;

  public QueueService(
      ManagementStore management,
      Catalog catalog,
      PoolSelector selector,
      PoolRegistry pools,
      WebhookNotifier notifier) {
    this.management = management;
    this.catalog = catalog;
    this.selector = selector;
    this.pools = pools;
    this.notifier = notifier;
  }

  static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          "The "
              + what
              + " name is invalid: it may have only letters, digits, '_' and '-', 1 to 64"
              + " characters.");
    }
  }

  // ---- queues

  /** Creates a queue in a pool chosen by weight; returns false when it already existed. */
  public boolean createQueue(String name, String metadata) {
    checkName("queue", name);
    if (catalog.lookup(name) != null) {
      return false;
    }
    String pool = selector.select(name);
    if (pool == null) {
      throw new ApiException(
          503, "Service Unavailable", "No pool is registered to hold the queue's messages.");
    }
    return management.createQueue(name, pool, metadata);
  }

  public List<QueueRecord> queues() {
    return management.queues();
  }

  public QueueRecord queue(String name) {
    checkName("queue", name);
    QueueRecord q = management.queue(name);
    if (q == null) {
      throw unknownQueue(name);
    }
    return q;
  }

  public void deleteQueue(String name) {
    checkName("queue", name);
    String pool = catalog.lookup(name);
    if (pool == null) {
      throw unknownQueue(name);
    }
    MessageStore store = pools.store(pool);
    if (store != null) {
      store.drop(name);
    }
    management.deleteQueue(name);
    catalog.evict(name);
  }

  private static ApiException unknownQueue(String name) {
    return ApiException.notFound("Queue " + name + " does not exist.");
  }

  private MessageStore storeOf(String queue) {
    checkName("queue", queue);
    String pool = catalog.lookup(queue);
    if (pool == null) {
      throw unknownQueue(queue);
    }
    MessageStore store = pools.store(pool);
    if (store == null) {
      throw new ApiException(
          503, "Service Unavailable", "The pool of queue " + queue + " is not registered.");
    }
    return store;
  }

  // ---- messages

  /** A message to post: its body (JSON text) and ttl. */
  public record NewMessage(String body, int ttl) {}

  /** Checks a {@code {"messages": [...]}} document and returns the messages it holds. */
  public static List<NewMessage> parseMessages(JsonNode doc) {
    if (doc == null || !doc.isObject() || !doc.has("messages")) {
      throw ApiException.badRequest("Missing \"messages\" list.");
    }
    JsonNode list = doc.get("messages");
    if (!list.isArray() || list.isEmpty()) {
      throw ApiException.badRequest("\"messages\" must be a non-empty list.");
    }
    if (list.size() > MAX_MESSAGES_PER_POST) {
      throw ApiException.badRequest(
          "No more than " + MAX_MESSAGES_PER_POST + " messages may be posted at once.");
    }
    List<NewMessage> out = new ArrayList<>();
    for (JsonNode m : list) {
      if (!m.isObject() || !m.has("body")) {
        throw ApiException.badRequest("Each message must be an object with a \"body\".");
      }
      int ttl = DEFAULT_TTL;
      if (m.has("ttl")) {
        JsonNode t = m.get("ttl");
        if (!t.canConvertToInt() || !t.isIntegralNumber()) {
          throw ApiException.badRequest("\"ttl\" must be an integer.");
        }
        ttl = t.intValue();
        if (ttl < MIN_TTL || ttl > MAX_TTL) {
          throw ApiException.badRequest(
              "\"ttl\" must be between " + MIN_TTL + " and " + MAX_TTL + " seconds.");
        }
      }
      out.add(new NewMessage(m.get("body").toString(), ttl));
    }
    return out;
  }

  /** Stores the messages in the queue's pool, then notifies the queue's subscribers. */
  public List<StoredMessage> postMessages(String queue, List<NewMessage> messages) {
    MessageStore store = storeOf(queue);
    List<StoredMessage> stored = new ArrayList<>();
    for (NewMessage m : messages) {
      stored.add(store.post(queue, m.body(), m.ttl()));
    }
    List<SubscriptionRecord> subs = management.subscriptions(queue);
    if (!subs.isEmpty()) {
      notifier.deliver(queue, subs, stored);
    }
    return stored;
  }

  public List<StoredMessage> listMessages(String queue, int limit) {
    if (limit < 1 || limit > 20) {
      throw ApiException.badRequest("\"limit\" must be between 1 and 20.");
    }
    return storeOf(queue).list(queue, limit);
  }

  public StoredMessage message(String queue, String id) {
    StoredMessage m = storeOf(queue).get(queue, id);
    if (m == null) {
      throw ApiException.notFound("Message " + id + " does not exist in queue " + queue + ".");
    }
    return m;
  }

  /** Deletes a message; deleting one that is gone is not an error (Zaqar's behaviour). */
  public void deleteMessage(String queue, String id) {
    storeOf(queue).delete(queue, id);
  }

  // ---- pools

  /** Registers or updates a pool; returns true when it is new. */
  public boolean putPool(String name, String uri, int weight) {
    checkName("pool", name);
    if (MessageStores.kindOf(uri) == null) {
      throw ApiException.badRequest(
          "\"uri\" must be a mongodb://, redis://, jdbc:h2: or jdbc:postgresql: URI.");
    }
    if (weight < 0) {
      throw ApiException.badRequest("\"weight\" must be an integer of 0 or more.");
    }
    try {
      pools.register(name, uri);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("The pool cannot be opened: " + e.getMessage());
    }
    return management.putPool(name, uri, weight);
  }

  public List<PoolRecord> pools() {
    return management.pools();
  }

  public PoolRecord pool(String name) {
    checkName("pool", name);
    PoolRecord p = management.pool(name);
    if (p == null) {
      throw ApiException.notFound("Pool " + name + " does not exist.");
    }
    return p;
  }

  // ---- subscriptions

  public String subscribe(String queue, String subscriber, int ttl, String options) {
    checkName("queue", queue);
    if (subscriber == null
        || !(subscriber.startsWith("http://") || subscriber.startsWith("https://"))) {
      throw ApiException.badRequest("\"subscriber\" must be an http:// or https:// URL.");
    }
    try {
      java.net.URI u = java.net.URI.create(subscriber);
      if (u.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("\"subscriber\" is not a valid URL.");
    }
    if (ttl < MIN_TTL) {
      throw ApiException.badRequest("\"ttl\" must be at least " + MIN_TTL + " seconds.");
    }
    if (catalog.lookup(queue) == null) {
      throw unknownQueue(queue);
    }
    String id = UUID.randomUUID().toString();
    management.addSubscription(
        new SubscriptionRecord(id, queue, subscriber, ttl, options, System.currentTimeMillis()));
    return id;
  }

  public List<SubscriptionRecord> subscriptions(String queue) {
    checkName("queue", queue);
    if (catalog.lookup(queue) == null) {
      throw unknownQueue(queue);
    }
    List<SubscriptionRecord> live = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (SubscriptionRecord s : management.subscriptions(queue)) {
      if (!s.expiredAt(now)) {
        live.add(s);
      }
    }
    return live;
  }
}
