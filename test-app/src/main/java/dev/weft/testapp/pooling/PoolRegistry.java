package dev.weft.testapp.pooling;

import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.management.PoolRecord;
import dev.weft.testapp.storage.MessageStore;
import dev.weft.testapp.storage.MessageStores;
import java.util.HashMap;
import java.util.Map;

/**
 * The open message stores, one per pool, opened on first use from the pool's URI. Re-registering a
 * pool with a new URI closes the old store.
 */
public final class PoolRegistry implements AutoCloseable {
  private record Open(String uri, MessageStore store) {}

  private final ManagementStore management;
  private final Map<String, Open> open = new HashMap<>();

  public PoolRegistry(ManagementStore management) {
    this.management = management;
  }

  /** The store of a pool, or null when no such pool is registered. */
  public synchronized MessageStore store(String pool) {
    Open o = open.get(pool);
    if (o != null) {
      return o.store;
    }
    PoolRecord p = management.pool(pool);
    if (p == null) {
      return null;
    }
    MessageStore s = MessageStores.open(p.getUri());
    open.put(pool, new Open(p.getUri(), s));
    return s;
  }

  /** Opens (and keeps) the store for a pool being registered; throws if the URI is unusable. */
  public synchronized void register(String pool, String uri) {
    Open old = open.get(pool);
    if (old != null && old.uri.equals(uri)) {
      return;
    }
    MessageStore s = MessageStores.open(uri);
    if (old != null) {
      old.store.close();
    }
    open.put(pool, new Open(uri, s));
  }

  /** Closes and forgets the store of a pool that was deregistered. */
  public synchronized void remove(String pool) {
    Open o = open.remove(pool);
    if (o != null) {
      o.store.close();
    }
  }

  @Override
  public synchronized void close() {
    for (Open o : open.values()) {
      try {
        o.store.close();
      } catch (RuntimeException e) {
        // closing the others matters more
      }
    }
    open.clear();
  }
}
