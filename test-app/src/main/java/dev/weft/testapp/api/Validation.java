package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Zaqar's input checks ({@code zaqar.transport.validation} and the WSGI utilities' {@code
 * sanitize}), with its messages.
 */
final class Validation {
  private Validation() {}

  // ---- the reserved queue metadata and its defaults, in Zaqar's order

  /** The reserved metadata Zaqar fills into every queue document it answers. */
  static Map<String, JsonNode> reservedDefaults() {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    m.put("_max_messages_post_size", num(QueueService.MAX_MESSAGES_POST_SIZE));
    m.put("_default_message_ttl", num(QueueService.DEFAULT_TTL));
    m.put("_default_message_delay", num(0));
    m.put("_dead_letter_queue", JsonIo.JSON.nullNode());
    m.put("_dead_letter_queue_messages_ttl", JsonIo.JSON.nullNode());
    m.put("_max_claim_count", JsonIo.JSON.nullNode());
    m.put("_enable_encrypt_messages", JsonIo.JSON.getNodeFactory().booleanNode(false));
    return m;
  }

  private static JsonNode num(int n) {
    return JsonIo.JSON.getNodeFactory().numberNode(n);
  }

  /** Python's falsiness of a JSON value. */
  static boolean falsy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return true;
    }
    if (v.isBoolean()) {
      return !v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() == 0;
    }
    if (v.isTextual()) {
      return v.textValue().isEmpty();
    }
    return v.isContainerNode() && v.isEmpty();
  }

  /** The metadata with every reserved key that is falsy set to its default (Zaqar's GET). */
  static ObjectNode withDefaults(ObjectNode metadata) {
    ObjectNode out = metadata.deepCopy();
    for (Map.Entry<String, JsonNode> e : reservedDefaults().entrySet()) {
      if (falsy(out.get(e.getKey()))) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static boolean isInt(JsonNode v) {
    return v != null && (v.isIntegralNumber() || v.isBoolean());
  }

  private static ApiException failed(String msg) {
    return new ApiException(400, "", msg);
  }

  /** Zaqar's {@code queue_metadata_putting}: the reserved keys' types and ranges. */
  static void queueMetadata(ObjectNode md, String title) {
    try {
      checkQueueMetadata(md);
    } catch (ApiException e) {
      throw new ApiException(400, title, e.description());
    }
  }

  private static void checkQueueMetadata(ObjectNode md) {
    if (md == null || md.isEmpty()) {
      return;
    }
    JsonNode ttl = md.get("_default_message_ttl");
    if (!falsy(ttl) && !isInt(ttl)) {
      throw failed("_default_message_ttl must be integer.");
    }
    if (ttl != null && !ttl.isNull()) {
      long v = ttl.asLong();
      if (!(isInt(ttl) && QueueService.MIN_TTL <= v && v <= QueueService.MAX_TTL)) {
        throw failed(
            "_default_message_ttl can not exceed "
                + QueueService.MAX_TTL
                + " seconds, and must be at least "
                + QueueService.MIN_TTL
                + " seconds long.");
      }
    }
    JsonNode size = md.get("_max_messages_post_size");
    if (!falsy(size) && !isInt(size)) {
      throw failed("_max_messages_post_size must be integer.");
    }
    if (size != null && !size.isNull()) {
      long v = size.asLong();
      if (!(isInt(size) && 0 < v && v <= QueueService.MAX_MESSAGES_POST_SIZE)) {
        throw failed(
            "_max_messages_post_size can not exceed "
                + QueueService.MAX_MESSAGES_POST_SIZE
                + ",  and must be at least greater than 0.");
      }
    }
    JsonNode claims = md.get("_max_claim_count");
    if (!falsy(claims) && !isInt(claims)) {
      throw failed("_max_claim_count must be integer.");
    }
    JsonNode dlqTtl = md.get("_dead_letter_queue_messages_ttl");
    if (!falsy(dlqTtl) && !isInt(dlqTtl)) {
      throw failed("_dead_letter_queue_messages_ttl must be integer.");
    }
    if (dlqTtl != null && !dlqTtl.isNull()) {
      long v = dlqTtl.asLong();
      if (!(QueueService.MIN_TTL <= v && v <= QueueService.MAX_TTL)) {
        throw failed(messageTtlMessage());
      }
    }
    JsonNode delay = md.get("_default_message_delay");
    if (!falsy(delay) && !isInt(delay)) {
      throw failed("_default_message_delay must be integer.");
    }
    if (delay != null && !delay.isNull()) {
      long v = delay.asLong();
      if (!(0 <= v && v <= QueueService.MAX_DELAY)) {
        throw failed(
            "The TTL can not exceed "
                + QueueService.MAX_DELAY
                + " seconds, and must be at least 0 seconds long.");
      }
    }
    JsonNode encrypted = md.get("_enable_encrypt_messages");
    if (!falsy(encrypted) && !encrypted.isBoolean()) {
      throw failed("_enable_encrypt_messages must be boolean.");
    }
  }

  static String messageTtlMessage() {
    return "The TTL for a message may not exceed "
        + QueueService.MAX_TTL
        + " seconds, and must be at least "
        + QueueService.MIN_TTL
        + " seconds long.";
  }

  // ---- json-patch of queue metadata (draft 10, as Zaqar reads it)

  /** One washed change: op, decoded path, value (null for remove). */
  record Change(String op, List<String> path, JsonNode value) {}

  private static final List<String> OPS = List.of("add", "remove", "replace");

  /**
   * Zaqar's {@code queue_patching}: the changes, checked; failures as 400 "Invalid request body".
   */
  static List<Change> queuePatch(JsonNode changes) {
    List<Change> out = new ArrayList<>();
    for (JsonNode raw : changes) {
      if (!raw.isObject()) {
        throw ApiException.badBody("Operations must be JSON objects.");
      }
      JsonNode opNode = raw.get("op");
      if (opNode == null || opNode.isNull()) {
        throw ApiException.badBody(
            "Unable to find `op` in JSON Schema change. It must be one of the following: add,"
                + " remove, replace.");
      }
      String op = opNode.isTextual() ? opNode.textValue() : opNode.toString();
      if (!OPS.contains(op)) {
        throw ApiException.badBody(
            "Invalid operation: `"
                + op
                + "`. It must be one of the following: add, remove, replace.");
      }
      JsonNode pathNode = raw.get("path");
      if (pathNode == null) {
        throw ApiException.badBody("Unable to find 'path' in JSON Schema change");
      }
      List<String> path = decodePointer(pathNode.asText());
      if (path.size() != 2) {
        throw ApiException.badBody(
            "Invalid JSON pointer for this resource: '/"
                + String.join("/", path)
                + ", e.g /metadata/key'");
      }
      JsonNode value = null;
      if (!op.equals("remove")) {
        if (!raw.has("value")) {
          throw ApiException.badBody("Operation \"" + op + "\" requires a member named \"value\".");
        }
        value = raw.get("value");
        if (!path.get(0).toLowerCase(Locale.ROOT).equals("metadata")) {
          throw ApiException.badBody("The root of path must be metadata, e.g /metadata/key.");
        }
      }
      out.add(new Change(op, path, value));
    }
    return out;
  }

  private static final Pattern ADJACENT = Pattern.compile("/\\s*?/");
  private static final Pattern BAD_TILDE = Pattern.compile("~[^01]");

  private static List<String> decodePointer(String pointer) {
    if (!pointer.startsWith("/")) {
      throw ApiException.badBody("Pointer `" + pointer + "` does not start with \"/\".");
    }
    if (ADJACENT.matcher(pointer.substring(1)).find()) {
      throw ApiException.badBody("Pointer `" + pointer + "` contains adjacent \"/\".");
    }
    if (pointer.length() > 1 && pointer.endsWith("/")) {
      throw ApiException.badBody("Pointer `" + pointer + "` end with \"/\".");
    }
    if (pointer.substring(1).strip().equals("/")) {
      throw ApiException.badBody("Pointer `" + pointer + "` does not contains valid token.");
    }
    if (BAD_TILDE.matcher(pointer).find() || pointer.endsWith("~")) {
      throw ApiException.badBody(
          "Pointer `" + pointer + "` contains \"~\" not part of a recognized escape sequence.");
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < pointer.length() && pointer.charAt(i) == '/') {
      i++;
    }
    for (String part : pointer.substring(i).split("/", -1)) {
      out.add(part.replace("~1", "/").replace("~0", "~").strip());
    }
    return out;
  }

  /** Applies washed changes to the metadata as Zaqar's {@code _do_add/_do_replace/_do_remove}. */
  static void apply(ObjectNode metadata, List<Change> changes) {
    Map<String, JsonNode> reserved = reservedDefaults();
    for (Change c : changes) {
      String key = c.path().get(1);
      switch (c.op()) {
        case "add":
          metadata.set(key, c.value());
          break;
        case "replace":
          if (metadata.has(key) || reserved.containsKey(key)) {
            metadata.set(key, c.value());
          } else {
            throw ApiException.conflict("Can't replace non-existent object " + key + ".");
          }
          break;
        default:
          if (metadata.has(key)) {
            metadata.remove(key);
          } else if (!reserved.containsKey(key)) {
            throw ApiException.conflict("Can't remove non-existent object " + key + ".");
          }
      }
    }
  }

  // ---- sanitize: typed fields of a document

  /** Zaqar's {@code get_checked_field} for an int field with a default (null: required). */
  static int intField(JsonNode doc, String name, Integer dflt) {
    JsonNode v = doc.get(name);
    if (v == null) {
      if (dflt == null) {
        throw ApiException.badBody("Missing \"" + name + "\" field.");
      }
      return dflt;
    }
    if (!isInt(v) || !v.canConvertToInt()) {
      throw ApiException.badBody("The value of the \"" + name + "\" field must be a int.");
    }
    return v.isBoolean() ? (v.booleanValue() ? 1 : 0) : v.intValue();
  }

  /** Zaqar's {@code HTTPDocumentTypeNotSupported}. */
  static ApiException documentTypeNotSupported() {
    return ApiException.badBody("Document type not supported.");
  }

  // ---- messages, claims, subscriptions

  static void limit(Integer limit, int max) {
    if (limit != null && !(0 < limit && limit <= max)) {
      throw ApiException.badRequest(
          "Limit must be at least 1 and may not be greater than " + max + ".");
    }
  }

  /** The queue and pool listings' wording of the same rule. */
  static void listLimit(Integer limit, int max) {
    if (limit != null && !(0 < limit && limit <= max)) {
      throw ApiException.badRequest("Limit must be at least 1 and no greater than " + max + ".");
    }
  }

  static void claimTtl(int ttl) {
    if (!(QueueService.MIN_CLAIM_TTL <= ttl && ttl <= QueueService.MAX_CLAIM_TTL)) {
      throw ApiException.badRequest(
          "The TTL for a claim may not exceed "
              + QueueService.MAX_CLAIM_TTL
              + " seconds, and must be at least "
              + QueueService.MIN_CLAIM_TTL
              + " seconds long.");
    }
  }

  static void claimGrace(int grace) {
    if (!(QueueService.MIN_CLAIM_GRACE <= grace && grace <= QueueService.MAX_CLAIM_GRACE)) {
      throw ApiException.badRequest(
          "The grace for a claim may not exceed "
              + QueueService.MAX_CLAIM_GRACE
              + " seconds, and must be at least "
              + QueueService.MIN_CLAIM_GRACE
              + " seconds long.");
    }
  }

  /** Zaqar's {@code subscription_patching}; {@code posting}: the subscriber is required. */
  static void subscription(JsonNode doc, boolean posting) {
    if (posting && (doc == null || !doc.isObject() || !doc.has("subscriber"))) {
      throw ApiException.badRequest("Missing parameter subscriber in body.");
    }
    if (doc == null || doc.isEmpty()) {
      throw ApiException.badRequest("No subscription to create.");
    }
    if (!doc.isObject()) {
      throw ApiException.badRequest("Subscriptions must be a dict.");
    }
    JsonNode subscriber = doc.get("subscriber");
    if (!falsy(subscriber)) {
      String scheme = scheme(subscriber.asText());
      if (!QueueService.SUBSCRIBER_TYPES.contains(scheme)) {
        throw ApiException.badRequest(
            "The subscriber type of subscription must be supported in the list ['http', 'https',"
                + " 'mailto', 'trust+http', 'trust+https'].");
      }
    }
    JsonNode options = doc.get("options");
    if (!falsy(options) && !options.isObject()) {
      throw ApiException.badRequest("Options must be a dict.");
    }
    JsonNode ttl = doc.get("ttl");
    if (!falsy(ttl)) {
      if (!isInt(ttl)) {
        throw ApiException.badRequest("TTL must be an integer.");
      }
      if (ttl.asLong() < QueueService.MIN_SUBSCRIPTION_TTL) {
        throw ApiException.badRequest(
            "The TTL for a subscription must be at least "
                + QueueService.MIN_SUBSCRIPTION_TTL
                + " seconds long.");
      }
      if (!ttl.canConvertToInt()) {
        throw ApiException.badRequest(
            "The TTL seconds for a subscription plus current time must be less than"
                + " 9999-12-31 23:59:59.999999.");
      }
    }
  }

  /** The scheme as Python's {@code urlparse} gives it (lower case; empty when none). */
  static String scheme(String url) {
    try {
      String s = new URI(url).getScheme();
      return s == null ? "" : s.toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      int colon = url.indexOf(':');
      return colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    }
  }
}
