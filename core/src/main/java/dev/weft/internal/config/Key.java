package dev.weft.internal.config;

import dev.weft.spi.TraceCategory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every configuration key Weft reads, with its default and its type. The per-category switches
 * ({@code weft.trace.<category>}) come from {@link TraceCategory}.
 */
public final class Key {
  private static final List<Key> ALL = new ArrayList<>();
  public static final Key ENABLED = new Key("weft.enabled", "false", Type.BOOLEAN, null);
  public static final Key HMAC_KEYS = new Key("weft.hmac_keys", "", Type.LIST, null);
  public static final Key CONNECTION_STRING =
      new Key("weft.connection_string", "", Type.STRING, null);

  static {
    for (TraceCategory c : TraceCategory.values()) {
      new Key(c.key(), Boolean.toString(c.defaultOn()), Type.BOOLEAN, c);
    }
  }

  public static final Key ASYNC_SPANS = new Key("weft.async.spans", "false", Type.BOOLEAN, null);
  public static final Key SQL_PARAMS = new Key("weft.sql.params", "false", Type.BOOLEAN, null);
  public static final Key HTTP_PROPAGATE_HOSTS =
      new Key("weft.http.propagate_hosts", "internal", Type.STRING, null);
  public static final Key HTTP_QUERY_VALUES =
      new Key("weft.http.query_values", "false", Type.BOOLEAN, null);
  public static final Key HTTP_PATH_VALUES =
      new Key("weft.http.path_values", "redact-ids", List.of("redact-ids", "all", "none"));
  public static final Key HTTP_PATH_TEMPLATES =
      new Key("weft.http.path_templates", "", Type.LIST, null);
  public static final Key POOLING_MIN_WAIT_MICROS =
      new Key("weft.pooling.min_wait_micros", "0", Type.LONG, null);
  public static final Key PROJECT = new Key("weft.project", "weft", Type.STRING, null);
  public static final Key SERVICE = new Key("weft.service", "", Type.STRING, null);
  public static final Key HOST = new Key("weft.host", "", Type.STRING, null);
  public static final Key FILTER_ERROR_TRACE =
      new Key("weft.filter_error_trace", "false", Type.BOOLEAN, null);
  public static final Key TRUST_TRACEPARENT =
      new Key("weft.trust_traceparent", "false", Type.BOOLEAN, null);
  public static final Key MAX_TRACES_PER_SECOND =
      new Key("weft.max_traces_per_second", "0", Type.LONG, null);
  public static final Key QUEUE_CAPACITY = new Key("weft.queue.capacity", "65536", Type.LONG, null);
  public static final Key QUEUE_MAX_BYTES =
      new Key("weft.queue.max_bytes", "8388608", Type.LONG, null);
  public static final Key BATCH_SIZE = new Key("weft.queue.batch_size", "1024", Type.LONG, null);
  public static final Key QUEUE_LINGER_MILLIS =
      new Key("weft.queue.linger_millis", "250", Type.LONG, null);
  public static final Key FLUSH_TIMEOUT_MILLIS =
      new Key("weft.flush_timeout_millis", "5000", Type.LONG, null);
  public static final Key OTLP_HEADERS = new Key("weft.otlp.headers", "", Type.STRING, null);
  public static final Key OTLP_CERTIFICATE =
      new Key("weft.otlp.certificate", "", Type.STRING, null);
  public static final Key ZIPKIN_HEADERS = new Key("weft.zipkin.headers", "", Type.STRING, null);
  public static final Key ZIPKIN_CERTIFICATE =
      new Key("weft.zipkin.certificate", "", Type.STRING, null);
  public static final Key MAX_VALUE_LENGTH =
      new Key("weft.max_value_length", "256", Type.LONG, null);

  private static final List<Key> VALUES = Collections.unmodifiableList(ALL);

  /** Value types, checked when a value is read. */
  public enum Type {
    BOOLEAN,
    LONG,
    STRING,
    LIST,
    /** One of a fixed set of words ({@link #choices()}), matched ignoring case. */
    CHOICE
  }

  private final String name;
  private final String defaultValue;
  private final Type type;
  private final TraceCategory category;
  private final List<String> choices;

  private Key(String name, String defaultValue, Type type, TraceCategory category) {
    this(name, defaultValue, type, category, List.of());
  }

  private Key(String name, String defaultValue, List<String> choices) {
    this(name, defaultValue, Type.CHOICE, null, choices);
  }

  private Key(
      String name, String defaultValue, Type type, TraceCategory category, List<String> choices) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.type = type;
    this.category = category;
    this.choices = List.copyOf(choices);
    ALL.add(this);
  }

  /** Every key, in a fixed order. */
  public static List<Key> values() {
    return VALUES;
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

  /** The words a {@link Type#CHOICE} key accepts, as written in its value; empty otherwise. */
  public List<String> choices() {
    return choices;
  }

  /** The category this key switches, or {@code null} for a key that is not a category switch. */
  public TraceCategory category() {
    return category;
  }

  /**
   * The environment variable for this key: {@code weft.trace.redis} is {@code WEFT_TRACE_REDIS}.
   */
  public String envName() {
    return name.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  public static Key byName(String name) {
    for (Key k : VALUES) {
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

  /** The key that switches a category. */
  public static Key of(TraceCategory category) {
    return forCategory(category.categoryName());
  }

  @Override
  public String toString() {
    return name;
  }
}
