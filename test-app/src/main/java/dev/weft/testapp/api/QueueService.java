package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.FlavorRecord;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the API does, independent of HTTP, with Zaqar v2's storage semantics over the pooled stores:
 * lazy queues, claims inside messages (as Zaqar's MongoDB driver keeps them), echo and
 * include_claimed listings, bulk deletes and pops, purges, subscriptions, pools and flavors. The
 * claim-sensitive operations of one queue (claim, release, update, pop, delete with a claim) are
 * serialised in this process.
 */
public final class QueueService {
  /** The test-app's rule for pool and flavor names (Zaqar has none; the columns hold 64). */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  // Zaqar's [transport] defaults.
  public static final int DEFAULT_TTL = 3600;
  public static final int MIN_TTL = 60;
  public static final int MAX_TTL = 1_209_600;
  public static final int MAX_DELAY = 900;
  public static final int MAX_MESSAGES_POST_SIZE = 256 * 1024;
  public static final int MAX_QUEUE_METADATA = 64 * 1024;
  public static final int DEFAULT_CLAIM_TTL = 300;
  public static final int DEFAULT_CLAIM_GRACE = 60;
  public static final int MIN_CLAIM_TTL = 60;
  public static final int MAX_CLAIM_TTL = 43_200;
  public static final int MIN_CLAIM_GRACE = 60;
  public static final int MAX_CLAIM_GRACE = 43_200;
  public static final int DEFAULT_SUBSCRIPTION_TTL = 3600;
  public static final int MIN_SUBSCRIPTION_TTL = 60;
  public static final int DEFAULT_PER_PAGE = 10;
  public static final int MAX_PER_PAGE = 20;
  public static final int DEFAULT_MESSAGES_PER_CLAIM = 10;
  public static final int MAX_MESSAGES_PER_CLAIM_OR_POP = 20;
  public static final List<String> SUBSCRIBER_TYPES =
      List.of("http", "https", "mailto", "trust+http", "trust+https");

  private final ManagementStore management;
  private final Catalog catalog;
  private final PoolSelector selector;
  private final PoolRegistry pools;
  private final WebhookNotifier notifier;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

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

  private Object lock(String queue) {
    return locks.computeIfAbsent(queue, q -> new Object());
  }

  // ---- queues

  /**
   * Creates a queue in a pool chosen by weight among the pools of its {@code _flavor} (none: the
   * pools of no flavor); returns false when it already existed (its metadata is left as it was).
   */
  public boolean createQueue(String name, ObjectNode metadata) {
    if (catalog.lookup(name) != null) {
      return false;
    }
    return create(name, metadata) != null;
  }

  /** Places and enters a queue; returns its pool, or null when it existed already. */
  private String create(String name, ObjectNode metadata) {
    JsonNode flavor = metadata == null ? null : metadata.get("_flavor");
    String pool;
    if (flavor != null && flavor.isTextual()) {
      if (management.flavor(flavor.asText()) == null) {
        throw ApiException.badRequest("Flavor " + flavor.asText() + " does not exist");
      }
      pool = selector.select(name, flavor.asText());
    } else {
      pool = selector.select(name);
    }
    if (pool == null) {
      throw new NoPool();
    }
    return management.createQueue(name, pool, metadata == null ? "{}" : metadata.toString())
        ? pool
        : null;
  }

  /** No pool can take a new queue (Zaqar's {@code NoPoolFound}). */
  static final class NoPool extends RuntimeException {
    NoPool() {
      super("No pools registered", null, false, false);
    }
  }

  /** The queues after {@code marker} (a name; null: from the first), by name. */
  public List<QueueRecord> queues(String marker, int limit) {
    return management.queues(marker, limit);
  }

  public long queueCount() {
    return management.queueCount();
  }

  /** A queue's record, or null for a queue never created (Zaqar then answers {}). */
  public QueueRecord queue(String name) {
    return management.queue(name);
  }

  /** Replaces a queue's metadata; false when there is no such queue. */
  public boolean setMetadata(String name, ObjectNode metadata) {
    boolean set = management.setMetadata(name, metadata.toString());
    catalog.evict(name);
    return set;
  }

  /** Deletes a queue, its messages and its subscriptions; a queue never created is no error. */
  public void deleteQueue(String name) {
    String pool = catalog.lookup(name);
    if (pool != null) {
      MessageStore store = pools.store(pool);
      if (store != null) {
        store.drop(name);
      }
    }
    management.deleteQueue(name);
    catalog.evict(name);
    locks.remove(name);
  }

  /** The metadata of a known queue as Zaqar's message handlers read it (catalog, cached). */
  ObjectNode metadataOf(String queue) {
    String text = catalog.metadata(queue);
    JsonNode n = text == null ? null : JsonIo.parse(text);
    return n != null && n.isObject() ? (ObjectNode) n : JsonIo.object();
  }

  /** The queue's store, or null for a queue never created. */
  private MessageStore storeOrNull(String queue) {
    String pool = catalog.lookup(queue);
    if (pool == null) {
      return null;
    }
    MessageStore store = pools.store(pool);
    if (store == null) {
      throw ApiException.unavailable(
          "The pool " + pool + " of queue " + queue + " is not registered.");
    }
    return store;
  }

  private static ApiException queueDoesNotExist(String queue, String project) {
    return ApiException.notFound("Queue " + queue + " does not exist for project " + project);
  }

  /** Message counts and the oldest and newest messages, as Zaqar's MongoDB driver reports them. */
  public record Stats(int claimed, int free, StoredMessage oldest, StoredMessage newest) {}

  public Stats stats(String queue) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return new Stats(0, 0, null, null);
    }
    long now = System.currentTimeMillis();
    List<StoredMessage> all = store.scan(queue, 0, Integer.MAX_VALUE, m -> true);
    int claimed = (int) all.stream().filter(m -> m.claimedAt(now)).count();
    return new Stats(
        claimed,
        all.size() - claimed,
        all.isEmpty() ? null : all.get(0),
        all.isEmpty() ? null : all.get(all.size() - 1));
  }

  /** Zaqar's purge: pops every unclaimed message, and/or deletes every subscription. */
  public void purge(String queue, Set<String> resourceTypes) {
    if (resourceTypes.contains("messages")) {
      MessageStore store = storeOrNull(queue);
      if (store != null) {
        synchronized (lock(queue)) {
          long now = System.currentTimeMillis();
          for (StoredMessage m : store.scan(queue, 0, Integer.MAX_VALUE, x -> !x.claimedAt(now))) {
            store.delete(queue, m.id());
          }
        }
      }
    }
    if (resourceTypes.contains("subscriptions")) {
      management.deleteSubscriptions(queue);
    }
  }

  // ---- messages

  /** A message to post: its body (JSON text) and ttl. */
  public record NewMessage(String body, int ttl) {}

  /** Reads and checks the messages of a post, given the queue's metadata ({} for a new queue). */
  interface MessageParser {
    List<NewMessage> parse(ObjectNode metadata) throws java.io.IOException;
  }

  /**
   * Stores the messages in the queue's pool (creating the queue on its first post, as Zaqar v2
   * does, once the messages passed {@code parser}), then notifies the queue's subscribers. One
   * catalog lookup: the queue's metadata comes with it.
   */
  public List<StoredMessage> postMessages(String queue, MessageParser parser, String clientId)
      throws java.io.IOException {
    String pool = catalog.lookup(queue);
    List<NewMessage> messages = parser.parse(pool == null ? JsonIo.object() : metadataOf(queue));
    if (pool == null) {
      pool = create(queue, null);
      if (pool == null) {
        pool = catalog.lookup(queue);
      }
    }
    MessageStore store = pools.store(pool);
    if (store == null) {
      throw ApiException.unavailable(
          "The pool " + pool + " of queue " + queue + " is not registered.");
    }
    List<StoredMessage> stored = new ArrayList<>();
    for (NewMessage m : messages) {
      stored.add(store.post(queue, m.body(), m.ttl(), clientId));
    }
    List<SubscriptionRecord> subs = management.subscriptions(queue);
    if (!subs.isEmpty()) {
      notifier.deliver(queue, subs, stored);
    }
    return stored;
  }

  /**
   * A page of messages after {@code marker} (posting time in ms; null: from the first): not the
   * client's own unless {@code echo}, not claimed ones unless {@code includeClaimed}. A queue never
   * created has none.
   */
  public List<StoredMessage> listMessages(
      String queue,
      String marker,
      int limit,
      boolean echo,
      boolean includeClaimed,
      String clientId) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return List.of();
    }
    long after = 0;
    if (marker != null) {
      try {
        after = Long.parseLong(marker);
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    long now = System.currentTimeMillis();
    return store.scan(
        queue,
        after,
        limit,
        m ->
            (echo || clientId == null || !clientId.equals(m.clientId()))
                && (includeClaimed || !m.claimedAt(now)));
  }

  /** The live messages among {@code ids}, in posting order. */
  public List<StoredMessage> messages(String queue, List<String> ids) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return List.of();
    }
    List<StoredMessage> out = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      StoredMessage m = store.get(queue, id);
      if (m != null) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparingLong(StoredMessage::createdMillis));
    return out;
  }

  public StoredMessage message(String queue, String id, String project) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      throw queueDoesNotExist(queue, project);
    }
    StoredMessage m = store.get(queue, id);
    if (m == null) {
      throw ApiException.notFound(
          "Message " + id + " does not exist in queue " + queue + " for project " + project);
    }
    return m;
  }

  /**
   * Deletes a message as Zaqar does: gone already is no error; a claimed message needs its claim id
   * (403 otherwise); a claim id for a message that is not claimed is a 400.
   */
  public void deleteMessage(String queue, String id, String claimId) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return;
    }
    if (claimId != null && !isUuid(claimId)) {
      throw new ApiException(
          400, "Unable to delete", "The specified claim does not exist or has expired.");
    }
    synchronized (lock(queue)) {
      StoredMessage m = store.get(queue, id);
      if (m == null) {
        return;
      }
      long now = System.currentTimeMillis();
      if (claimId == null || !claimId.equals(m.claimId())) {
        if (m.claimedAt(now)) {
          throw new ApiException(
              403,
              "Unable to delete",
              "This message is claimed; it cannot be deleted without a valid claim ID.");
        }
        if (claimId != null) {
          throw new ApiException(
              400,
              "Unable to delete",
              "A claim was specified, but the message is not currently claimed.");
        }
      }
      store.delete(queue, id);
    }
  }

  /** Deletes the messages among {@code ids} (claimed or not, as Zaqar's bulk delete). */
  public void deleteMessages(String queue, List<String> ids) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return;
    }
    synchronized (lock(queue)) {
      for (String id : new LinkedHashSet<>(ids)) {
        store.delete(queue, id);
      }
    }
  }

  /** Deletes and returns up to {@code limit} of the oldest unclaimed messages. */
  public List<StoredMessage> pop(String queue, int limit) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return List.of();
    }
    synchronized (lock(queue)) {
      long now = System.currentTimeMillis();
      List<StoredMessage> out = new ArrayList<>();
      for (StoredMessage m : store.scan(queue, 0, limit, x -> !x.claimedAt(now))) {
        if (store.delete(queue, m.id())) {
          out.add(m);
        }
      }
      return out;
    }
  }

  // ---- claims

  /** A claim and the messages it holds. */
  public record Claim(String id, int ttl, long updatedMillis, List<StoredMessage> messages) {}

  /** Claims up to {@code limit} unclaimed messages; null when there were none. */
  public Claim createClaim(String queue, int ttl, int grace, int limit) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return null;
    }
    return claimIn(store, queue, ttl, grace, limit);
  }

  Claim claimIn(MessageStore store, String queue, int ttl, int grace, int limit) {
    synchronized (lock(queue)) {
      long now = System.currentTimeMillis();
      List<StoredMessage> free = store.scan(queue, 0, limit, m -> !m.claimedAt(now));
      if (free.isEmpty()) {
        return null;
      }
      String id = UUID.randomUUID().toString();
      List<StoredMessage> held = hold(store, queue, free, id, ttl, grace, now);
      return held.isEmpty() ? null : new Claim(id, ttl, now, held);
    }
  }

  /**
   * Puts messages under claim {@code id} for {@code ttl} seconds; a message that would expire
   * before the claim lives until the claim's end plus {@code grace} (Zaqar's MongoDB driver).
   */
  private static List<StoredMessage> hold(
      MessageStore store,
      String queue,
      List<StoredMessage> messages,
      String id,
      int ttl,
      int grace,
      long now) {
    long claimExpires = now + ttl * 1000L;
    List<StoredMessage> held = new ArrayList<>();
    for (StoredMessage m : messages) {
      StoredMessage c =
          m.expiresMillis() < claimExpires
              ? m.claimed(id, ttl, claimExpires, ttl + grace, claimExpires + grace * 1000L)
              : m.claimed(id, ttl, claimExpires, m.ttl(), m.expiresMillis());
      if (store.update(queue, c)) {
        held.add(c);
      }
    }
    return held;
  }

  private static List<StoredMessage> heldBy(MessageStore store, String queue, String id) {
    long now = System.currentTimeMillis();
    return store.scan(queue, 0, Integer.MAX_VALUE, m -> id.equals(m.claimId()) && m.claimedAt(now));
  }

  private static ApiException claimDoesNotExist(String id, String queue, String project) {
    return ApiException.notFound(
        "Claim " + id + " does not exist in queue " + queue + " for project " + project);
  }

  public Claim claim(String queue, String id, String project) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      throw claimDoesNotExist(id, queue, project);
    }
    List<StoredMessage> held = heldBy(store, queue, id);
    if (held.isEmpty()) {
      throw claimDoesNotExist(id, queue, project);
    }
    StoredMessage first = held.get(0);
    return new Claim(
        id, first.claimTtl(), first.claimExpiresMillis() - first.claimTtl() * 1000L, held);
  }

  /** Renews a claim for {@code ttl} seconds from now, with {@code grace}. */
  public void updateClaim(String queue, String id, int ttl, int grace, String project) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      throw claimDoesNotExist(id, queue, project);
    }
    synchronized (lock(queue)) {
      List<StoredMessage> held = heldBy(store, queue, id);
      if (held.isEmpty()) {
        throw claimDoesNotExist(id, queue, project);
      }
      hold(store, queue, held, id, ttl, grace, System.currentTimeMillis());
    }
  }

  /** Releases a claim's messages; a claim that is gone is no error. */
  public void deleteClaim(String queue, String id) {
    MessageStore store = storeOrNull(queue);
    if (store == null) {
      return;
    }
    releaseIn(store, queue, id);
  }

  void releaseIn(MessageStore store, String queue, String id) {
    synchronized (lock(queue)) {
      for (StoredMessage m : store.scan(queue, 0, Integer.MAX_VALUE, x -> id.equals(x.claimId()))) {
        store.update(queue, m.released());
      }
    }
  }

  static boolean isUuid(String s) {
    try {
      UUID.fromString(s);
      return s.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // ---- subscriptions

  /** A created subscription's id, and whether it is new (false: an unconfirmed one again). */
  public record Subscribed(String id, boolean created) {}

  /**
   * Subscribes {@code subscriber} to a queue, creating the queue when it was never created (as
   * Zaqar does). The same subscriber again: its id while unconfirmed, 409 once confirmed.
   */
  public Subscribed subscribe(String queue, String subscriber, int ttl, String options) {
    if (catalog.lookup(queue) == null) {
      try {
        createQueue(queue, null);
      } catch (NoPool e) {
        throw ApiException.unavailable("Subscription could not be created.");
      }
    }
    long now = System.currentTimeMillis();
    for (SubscriptionRecord s : management.subscriptions(queue)) {
      if (s.getSubscriber().equals(subscriber)) {
        if (s.expiredAt(now)) {
          management.deleteSubscription(queue, s.getId());
        } else if (s.isConfirmed()) {
          throw alreadySubscribed();
        } else {
          return new Subscribed(s.getId(), false);
        }
      }
    }
    String id = UUID.randomUUID().toString();
    management.addSubscription(new SubscriptionRecord(id, queue, subscriber, ttl, options, now));
    return new Subscribed(id, true);
  }

  private static ApiException alreadySubscribed() {
    return ApiException.conflict(
        "Such subscription already exists.Subscriptions are unique by project + queue +"
            + " subscriber URI.");
  }

  /** The live subscriptions of a queue, oldest first, after the one with id {@code marker}. */
  public List<SubscriptionRecord> subscriptions(String queue, String marker, int limit) {
    long now = System.currentTimeMillis();
    List<SubscriptionRecord> live = new ArrayList<>();
    boolean past = marker == null;
    for (SubscriptionRecord s : management.subscriptions(queue)) {
      if (!past) {
        past = s.getId().equals(marker);
        continue;
      }
      if (!s.expiredAt(now) && live.size() < limit) {
        live.add(s);
      }
    }
    return live;
  }

  private static ApiException subscriptionDoesNotExist(String id) {
    return ApiException.notFound("Subscription " + id + " does not exist");
  }

  public SubscriptionRecord subscription(String queue, String id) {
    SubscriptionRecord s = management.subscription(id);
    if (s == null || !s.getQueue().equals(queue) || s.expiredAt(System.currentTimeMillis())) {
      throw subscriptionDoesNotExist(id);
    }
    return s;
  }

  /** Changes a subscription's subscriber, ttl (from now) and/or options. */
  public void updateSubscription(
      String queue, String id, String subscriber, Integer ttl, String options) {
    subscription(queue, id);
    if (subscriber != null) {
      long now = System.currentTimeMillis();
      for (SubscriptionRecord s : management.subscriptions(queue)) {
        if (!s.getId().equals(id) && s.getSubscriber().equals(subscriber) && !s.expiredAt(now)) {
          throw ApiException.conflict(
              "Such subscription already exists. Subscriptions are unique by project + queue +"
                  + " subscriber URI.");
        }
      }
    }
    if (!management.updateSubscription(queue, id, subscriber, ttl, options, null)) {
      throw subscriptionDoesNotExist(id);
    }
  }

  public void confirmSubscription(String queue, String id, boolean confirmed) {
    if (!management.updateSubscription(queue, id, null, null, null, confirmed)) {
      throw subscriptionDoesNotExist(id);
    }
  }

  public void deleteSubscription(String queue, String id) {
    management.deleteSubscription(queue, id);
  }

  // ---- pools

  private static ApiException poolDoesNotExist(String name) {
    return ApiException.notFound("Pool " + name + " does not exist");
  }

  private void checkUri(String uri) {
    if (MessageStores.kindOf(uri) == null) {
      throw ApiException.badBody(
          "\"uri\" must be a mongodb://, redis://, jdbc:h2: or jdbc:postgresql: URI.");
    }
  }

  private void open(String name, String uri) {
    try {
      pools.register(name, uri);
    } catch (RuntimeException e) {
      throw ApiException.badBody("cannot connect to " + MessageStores.redact(uri));
    }
  }

  /** Registers a pool or replaces it (Zaqar's PUT); returns true when it is new. */
  public boolean putPool(String name, String uri, int weight, String flavor, String options) {
    checkName("pool", name);
    checkUri(uri);
    open(name, uri);
    return management.putPool(name, uri, weight, flavor, options);
  }

  /** Registers or updates a pool's URI and weight; returns true when it is new. */
  public boolean putPool(String name, String uri, int weight) {
    return putPool(name, uri, weight, null, null);
  }

  /** Changes the given fields of a pool (null: unchanged) and returns it. */
  public PoolRecord updatePool(
      String name, String uri, Integer weight, String flavor, String options) {
    if (uri != null) {
      checkUri(uri);
    }
    PoolRecord before = management.pool(name);
    if (before == null) {
      throw poolDoesNotExist(name);
    }
    if (uri != null) {
      open(name, uri);
    }
    if (!management.updatePool(name, uri, weight, flavor, options)) {
      throw poolDoesNotExist(name);
    }
    return management.pool(name);
  }

  /** Deregisters a pool and closes its store; a pool that is gone is no error. */
  public void deletePool(String name) {
    management.deletePool(name);
    pools.remove(name);
  }

  /** The pools after {@code marker} (a name), by name. */
  public List<PoolRecord> pools(String marker, int limit) {
    List<PoolRecord> out = new ArrayList<>();
    for (PoolRecord p : management.pools()) {
      if ((marker == null || p.getName().compareTo(marker) > 0) && out.size() < limit) {
        out.add(p);
      }
    }
    return out;
  }

  public List<PoolRecord> pools() {
    return management.pools();
  }

  public PoolRecord pool(String name) {
    PoolRecord p = management.pool(name);
    if (p == null) {
      throw poolDoesNotExist(name);
    }
    return p;
  }

  /** Whether every pool's store answers (Zaqar's {@code is_alive} of the pooled driver). */
  public Map<String, Boolean> reachability() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (PoolRecord p : management.pools()) {
      boolean alive;
      try {
        MessageStore s = pools.store(p.getName());
        alive = s != null && s.alive();
      } catch (RuntimeException e) {
        alive = false;
      }
      out.put(p.getName(), alive);
    }
    return out;
  }

  /** The store of a pool, or null (health checks). */
  MessageStore storeOfPool(String pool) {
    try {
      return pools.store(pool);
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---- flavors

  /** A flavor, the pools that serve it and their capabilities. */
  public record Flavor(String name, List<String> pools, List<String> capabilities) {}

  private static ApiException flavorDoesNotExist(String name) {
    return ApiException.notFound("Flavor " + name + " does not exist");
  }

  /** Zaqar's capabilities of a pool's storage driver (the SQL store claims what MongoDB does). */
  static List<String> capabilities(String uri) {
    String kind = MessageStores.kindOf(uri);
    if ("redis".equals(kind)) {
      return List.of("FIFO", "CLAIMS", "AOD", "HIGH_THROUGHPUT");
    }
    return List.of("FIFO", "CLAIMS", "DURABILITY", "AOD", "HIGH_THROUGHPUT");
  }

  private Flavor flavorOf(String name) {
    List<String> names = new ArrayList<>();
    List<String> caps = List.of();
    for (PoolRecord p : management.poolsOfFlavor(name)) {
      if (names.isEmpty()) {
        caps = capabilities(p.getUri());
      }
      names.add(p.getName());
    }
    return new Flavor(name, names, caps);
  }

  /** Creates a flavor served by {@code poolList} (Zaqar's PUT). */
  public void putFlavor(String name, List<String> poolList, String project) {
    checkName("flavor", name);
    if (poolList.isEmpty()) {
      throw new ApiException(400, "Unable to create", "Bad Request");
    }
    for (String p : poolList) {
      if (management.pool(p) == null) {
        throw new ApiException(
            400,
            "Unable to create",
            "Flavor " + name + " could not be created, error:Pool " + p + " does not exist");
      }
    }
    management.createFlavor(name, project);
    for (String p : poolList) {
      management.updatePool(p, null, null, name, null);
    }
  }

  public Flavor flavor(String name) {
    if (management.flavor(name) == null) {
      throw flavorDoesNotExist(name);
    }
    return flavorOf(name);
  }

  /** Makes {@code poolList} the pools of a flavor (Zaqar's PATCH). */
  public Flavor updateFlavor(String name, List<String> poolList) {
    if (poolList.isEmpty()) {
      throw new ApiException(400, "Unable to create", "Bad Request");
    }
    if (management.flavor(name) == null) {
      throw flavorDoesNotExist(name);
    }
    for (String p : poolList) {
      if (management.pool(p) == null) {
        throw new ApiException(
            400,
            "updatefail",
            "Flavor " + name + " cant be updated, error:Pool " + p + " does not exist");
      }
    }
    List<PoolRecord> old = management.poolsOfFlavor(name);
    for (String p : poolList) {
      management.updatePool(p, null, null, name, null);
    }
    for (PoolRecord p : old) {
      if (!poolList.contains(p.getName())) {
        management.updatePool(p.getName(), null, null, "", null);
      }
    }
    Flavor f = flavorOf(name);
    return new Flavor(name, poolList, f.capabilities());
  }

  public void deleteFlavor(String name) {
    management.deleteFlavor(name);
  }

  /** The flavors after {@code marker} (a name), by name. */
  public List<Flavor> flavors(String marker, int limit) {
    List<Flavor> out = new ArrayList<>();
    for (FlavorRecord f : management.flavors()) {
      if ((marker == null || f.getName().compareTo(marker) > 0) && out.size() < limit) {
        out.add(flavorOf(f.getName()));
      }
    }
    return out;
  }
}
