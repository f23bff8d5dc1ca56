package dev.weft.testapp.pooling;

import dev.weft.annotations.Category;
import dev.weft.annotations.Traced;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.management.QueueRecord;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The queue → pool catalog, read through a short-lived cache as Zaqar's pooling driver does: a
 * lookup served from the cache costs no SQL; an entry lives {@code ttl}, then the next lookup reads
 * the management database again. Unknown queues are not cached.
 */
public class Catalog {
  private record Entry(String pool, String metadata, long expiresAtNanos) {}

  private final ManagementStore management;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  public Catalog(ManagementStore management, Duration ttl, LongSupplier nanoClock) {
    this.management = management;
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  public Catalog(ManagementStore management, Duration ttl) {
    this(management, ttl, System::nanoTime);
  }

  /** The pool a queue maps to, or null for an unknown queue. */
  @Traced(
      name = "catalog_lookup",
      category = Category.POOLING,
      hideArgs = false,
      hideResult = false)
  public String lookup(String queue) {
    Entry e = entry(queue);
    return e == null ? null : e.pool;
  }

  /**
   * The metadata (JSON text) of a queue, or null for an unknown queue: read with the pool, so right
   * after {@link #lookup} it costs no SQL.
   */
  public String metadata(String queue) {
    Entry e = entry(queue);
    return e == null ? null : e.metadata;
  }

  private Entry entry(String queue) {
    long now = nanoClock.getAsLong();
    Entry e = cache.get(queue);
    if (e != null && now - e.expiresAtNanos < 0) {
      return e;
    }
    QueueRecord q = management.queue(queue);
    if (q == null) {
      cache.remove(queue);
      return null;
    }
    e = new Entry(q.getPool(), q.getMetadata(), now + ttlNanos);
    cache.put(queue, e);
    return e;
  }

  /** Forgets a queue (after it was deleted or its metadata changed). */
  public void evict(String queue) {
    cache.remove(queue);
  }

  /** How many queues the cache holds now (live or expired). */
  public int cachedEntries() {
    return cache.size();
  }
}
