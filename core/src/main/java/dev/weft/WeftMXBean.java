package dev.weft;

import java.util.Map;

/**
 * Weft's management interface, registered as {@code dev.weft:type=Weft} on the platform MBean
 * server. Switches take effect at the next join point. HMAC keys are never readable here: only how
 * many are configured.
 *
 * <p>Besides these attributes, the MBean has one boolean attribute per category, {@code
 * Trace<Category>} ({@code TraceSql}, {@code TraceRedis}, ...), readable and writable, for consoles
 * such as JConsole.
 *
 * <pre>{@code
 * WeftMXBean weft = JMX.newMXBeanProxy(server, new ObjectName(WeftMXBean.OBJECT_NAME), WeftMXBean.class);
 * weft.setCategory("sql", true);
 * }</pre>
 */
public interface WeftMXBean {
  /** The MBean's object name. */
  String OBJECT_NAME = "dev.weft:type=Weft";

  boolean isEnabled();

  void setEnabled(boolean on);

  /** Each category's switch ({@code weft.trace.<name>}), by name. */
  Map<String, Boolean> getCategories();

  /**
   * Switches a category ({@code weft.trace.<name>}) at runtime.
   *
   * @throws IllegalArgumentException for an unknown category
   */
  void setCategory(String name, boolean on);

  int getHmacKeyCount();

  String getCollector();

  String getConfigSource();

  long getTracesStarted();

  long getTracesRateLimited();

  long getSpansAccepted();

  long getSpansStored();

  long getSpansDropped();

  long getSpansDroppedQueueFull();

  long getSpansDroppedCollectorError();

  /** Spans still queued when a shutdown reached its bound ({@code weft.flush_timeout_millis}). */
  long getSpansDroppedAtShutdown();

  long getCollectorErrors();

  int getQueueSize();

  int getQueueCapacity();

  /**
   * The queue's byte budget in use now, against {@code weft.queue.max_bytes}: the approximate heap
   * held by the spans waiting, plus what application threads have leased from the budget and not
   * spent yet (at most one lease of {@code max_bytes / 1024}, within 1–16 KB, per thread in a
   * trace).
   */
  long getQueueBytes();

  /** Sets any {@code weft.*} key at runtime (an empty value removes the override). */
  void set(String key, String value);

  /** Re-reads the configuration file, system properties and environment. */
  void reload();

  /** Waits (within weft.flush_timeout_millis) until queued spans are stored or dropped. */
  boolean flush();
}
