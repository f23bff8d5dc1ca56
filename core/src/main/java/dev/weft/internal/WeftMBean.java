package dev.weft.internal;

/**
 * Weft's JMX interface, registered as {@code dev.weft:type=Weft}. Switches take effect at the next
 * join point. HMAC keys are never readable here: only how many are configured.
 */
public interface WeftMBean {
  boolean isEnabled();

  void setEnabled(boolean on);

  boolean isTraceAnnotated();

  void setTraceAnnotated(boolean on);

  boolean isTraceServlet();

  void setTraceServlet(boolean on);

  boolean isTraceHttp();

  void setTraceHttp(boolean on);

  boolean isTraceMongodb();

  void setTraceMongodb(boolean on);

  boolean isTraceRedis();

  void setTraceRedis(boolean on);

  boolean isTraceSql();

  void setTraceSql(boolean on);

  boolean isTracePooling();

  void setTracePooling(boolean on);

  boolean isTraceAsync();

  void setTraceAsync(boolean on);

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

  long getCollectorErrors();

  int getQueueSize();

  int getQueueCapacity();

  /** Sets any {@code weft.*} key at runtime (an empty value removes the override). */
  void set(String key, String value);

  /** Re-reads the configuration file, system properties and environment. */
  void reload();

  /** Waits (within weft.flush_timeout_millis) until queued spans are stored or dropped. */
  boolean flush();
}
