package dev.weft.internal.config;

/** Every configuration key Weft reads, with its default and its type. */
public enum Key {
  ENABLED("weft.enabled", "false", Type.BOOLEAN),
  HMAC_KEYS("weft.hmac_keys", "", Type.LIST),
  CONNECTION_STRING("weft.connection_string", "", Type.STRING),
  TRACE_ANNOTATED("weft.trace.annotated", "true", Type.BOOLEAN),
  TRACE_SERVLET("weft.trace.servlet", "true", Type.BOOLEAN),
  TRACE_HTTP("weft.trace.http", "true", Type.BOOLEAN),
  TRACE_MONGODB("weft.trace.mongodb", "false", Type.BOOLEAN),
  TRACE_REDIS("weft.trace.redis", "false", Type.BOOLEAN),
  TRACE_SQL("weft.trace.sql", "false", Type.BOOLEAN),
  TRACE_POOLING("weft.trace.pooling", "true", Type.BOOLEAN),
  TRACE_ASYNC("weft.trace.async", "true", Type.BOOLEAN),
  ASYNC_SPANS("weft.async.spans", "false", Type.BOOLEAN),
  SQL_PARAMS("weft.sql.params", "false", Type.BOOLEAN),
  HTTP_QUERY_VALUES("weft.http.query_values", "false", Type.BOOLEAN),
  POOLING_MIN_WAIT_MICROS("weft.pooling.min_wait_micros", "0", Type.LONG),
  PROJECT("weft.project", "weft", Type.STRING),
  SERVICE("weft.service", "", Type.STRING),
  HOST("weft.host", "", Type.STRING),
  FILTER_ERROR_TRACE("weft.filter_error_trace", "false", Type.BOOLEAN),
  TRUST_TRACEPARENT("weft.trust_traceparent", "false", Type.BOOLEAN),
  MAX_TRACES_PER_SECOND("weft.max_traces_per_second", "50", Type.LONG),
  QUEUE_CAPACITY("weft.queue.capacity", "65536", Type.LONG),
  BATCH_SIZE("weft.queue.batch_size", "512", Type.LONG),
  FLUSH_TIMEOUT_MILLIS("weft.flush_timeout_millis", "5000", Type.LONG),
  MAX_VALUE_LENGTH("weft.max_value_length", "256", Type.LONG);

  /** Value types, checked when a value is read. */
  public enum Type {
    BOOLEAN,
    LONG,
    STRING,
    LIST
  }

  private final String name;
  private final String defaultValue;
  private final Type type;

  Key(String name, String defaultValue, Type type) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.type = type;
  }

  public String key() {
    return name;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public Type type() {
    return type;
  }

  /**
   * The environment variable for this key: {@code weft.trace.redis} is {@code WEFT_TRACE_REDIS}.
   */
  public String envName() {
    return name.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  public static Key byName(String name) {
    for (Key k : values()) {
      if (k.name.equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** The key that switches a category, or {@code null} for an unknown category. */
  public static Key forCategory(String category) {
    return byName("weft.trace." + category);
  }
}
