package dev.weft.testapp.storage;

import java.util.Locale;

/** Opens the message store that a pool URI names. */
public final class MessageStores {
  private MessageStores() {}

  /** The kind of store a URI names, or null when no store serves it. */
  public static String kindOf(String uri) {
    if (uri == null) {
      return null;
    }
    String u = uri.toLowerCase(Locale.ROOT);
    if (u.startsWith("mongodb://") || u.startsWith("mongodb+srv://")) {
      return "mongodb";
    }
    if (u.startsWith("redis://") || u.startsWith("rediss://")) {
      return "redis";
    }
    if (u.startsWith("jdbc:h2:") || u.startsWith("jdbc:postgresql:")) {
      return "sql";
    }
    return null;
  }

  /**
   * Opens a store for {@code uri}: {@code mongodb://...}, {@code redis://...}, {@code jdbc:h2:...}
   * or {@code jdbc:postgresql:...}.
   *
   * @throws IllegalArgumentException when the URI names no supported store or is malformed
   */
  public static MessageStore open(String uri) {
    String kind = kindOf(uri);
    if (kind == null) {
      throw new IllegalArgumentException(
          "unsupported pool URI (expected mongodb://, redis://, jdbc:h2: or jdbc:postgresql:)");
    }
    switch (kind) {
      case "mongodb":
        return new MongoMessageStore(uri);
      case "redis":
        return new RedisMessageStore(uri);
      default:
        return new SqlMessageStore(uri);
    }
  }

  /** The URI with any password replaced by {@code ***}, for listings and logs. */
  public static String redact(String uri) {
    if (uri == null) {
      return null;
    }
    return uri.replaceAll("(://[^/@:]*):[^/@]*@", "$1:***@")
        .replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
