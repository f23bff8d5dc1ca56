package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.QueueRecord;
import dev.weft.testapp.management.SubscriptionRecord;
import dev.weft.testapp.storage.StoredMessage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v2/queues} and everything under a queue, as Zaqar v2 serves them: the queue
 * (GET/PUT/PATCH/DELETE), {@code stats}, {@code purge}, {@code share}, {@code messages} (post,
 * list, get by ids, bulk delete and pop), {@code messages/{id}}, {@code claims}, {@code
 * claims/{id}}, {@code subscriptions}, {@code subscriptions/{id}} and its {@code confirm}.
 */
final class QueuesServlet extends ApiServlet {
  static final String JSON_PATCH = "application/openstack-messaging-v2.0-json-patch";
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final QueueService service;
  private final int bodyLimit;

  QueuesServlet(QueueService service, ApiService.Settings settings) {
    super(settings);
    this.service = service;
    this.bodyLimit = settings.bodyLimit();
  }

  @Override
  String queueOf(List<String> p) {
    return p.isEmpty() ? null : p.get(0);
  }

  @Override
  Resource route(List<String> p) {
    int n = p.size();
    if (n == 0) {
      return new Resource().on("GET", this::listQueues);
    }
    if (n == 1) {
      return new Resource()
          .on("GET", this::getQueue)
          .on("PUT", this::putQueue)
          .on("DELETE", this::deleteQueue)
          .on("PATCH", this::patchQueue);
    }
    String sub = p.get(1);
    if (n == 2) {
      switch (sub) {
        case "stats":
          return new Resource().on("GET", this::stats);
        case "purge":
          return new Resource().on("POST", this::purge);
        case "share":
          return new Resource().on("POST", this::share);
        case "messages":
          return new Resource()
              .on("GET", this::getMessages)
              .on("POST", this::postMessages)
              .on("DELETE", this::deleteMessages);
        case "claims":
          return new Resource().on("POST", this::createClaim);
        case "subscriptions":
          return new Resource().on("GET", this::listSubscriptions).on("POST", this::subscribe);
        default:
          return null;
      }
    }
    if (n == 3) {
      switch (sub) {
        case "messages":
          return new Resource().on("GET", this::getMessage).on("DELETE", this::deleteMessage);
        case "claims":
          return new Resource()
              .on("GET", this::getClaim)
              .on("PATCH", this::updateClaim)
              .on("DELETE", this::deleteClaim);
        case "subscriptions":
          return new Resource()
              .on("GET", this::getSubscription)
              .on("DELETE", this::deleteSubscription)
              .on("PATCH", this::updateSubscription);
        default:
          return null;
      }
    }
    if (n == 4 && sub.equals("subscriptions") && p.get(3).equals("confirm")) {
      return new Resource().on("PUT", this::confirm);
    }
    return null;
  }

  static String queuePath(String q) {
    return "/v2/queues/" + q;
  }

  /** {@code ?k=v&...} as falcon's {@code to_query_str} writes it (booleans as true/false). */
  static String query(Map<String, Object> params) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      b.append(b.length() == 0 ? '?' : '&')
          .append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  // ---- queues

  private void listQueues(Call c) throws IOException {
    String marker = c.param("marker");
    Integer limit = c.intParam("limit");
    Boolean detailed = c.boolParam("detailed");
    c.param("name");
    Boolean withCount = c.boolParam("with_count");
    Validation.listLimit(limit, QueueService.MAX_PER_PAGE);
    List<QueueRecord> page =
        service.queues(marker, limit == null ? QueueService.DEFAULT_PER_PAGE : limit);
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("queues");
    for (QueueRecord q : page) {
      ObjectNode n = list.addObject();
      n.put("name", q.getName());
      if (Boolean.TRUE.equals(detailed)) {
        n.set("metadata", Validation.withDefaults(metadata(q)));
      }
      n.put("href", queuePath(q.getName()));
    }
    ArrayNode links = out.putArray("links");
    if (!page.isEmpty()) {
      Map<String, Object> next = new LinkedHashMap<>();
      next.put("limit", limit);
      next.put("detailed", detailed);
      next.put("with_count", withCount);
      next.put("marker", page.get(page.size() - 1).getName());
      links.addObject().put("rel", "next").put("href", "/v2/queues" + query(next));
    }
    if (Boolean.TRUE.equals(withCount)) {
      long count = service.queueCount();
      if (count > 0) {
        out.put("count", count);
      }
    }
    JsonIo.write(c.resp, 200, out);
  }

  private static ObjectNode metadata(QueueRecord q) {
    JsonNode meta = q == null ? null : JsonIo.parse(q.getMetadata());
    return meta != null && meta.isObject() ? ((ObjectNode) meta).deepCopy() : JsonIo.object();
  }

  /**
   * The metadata with Zaqar's reserved defaults; a queue never created answers them alone. The pool
   * the queue maps to is in the {@code X-Queue-Pool} header (the test-app's own addition).
   */
  private void getQueue(Call c) throws IOException {
    QueueRecord q = service.queue(c.seg(0));
    if (q != null) {
      c.resp.setHeader("X-Queue-Pool", q.getPool());
    }
    JsonIo.write(c.resp, 200, Validation.withDefaults(metadata(q)));
  }

  private void putQueue(Call c) throws IOException {
    String name = c.seg(0);
    long length = c.req.getContentLengthLong();
    ObjectNode metadata = null;
    if (length > 0 || (length < 0 && c.hasBody())) {
      JsonNode doc =
          JsonIo.parseBody(
              JsonIo.readText(
                  c.req,
                  QueueService.MAX_QUEUE_METADATA,
                  () -> metadataTooLarge(ApiException::badRequest)));
      if (!doc.isObject()) {
        throw Validation.documentTypeNotSupported();
      }
      metadata = (ObjectNode) doc;
    }
    Validation.queueMetadata(metadata, "Invalid API request");
    boolean created;
    try {
      created = service.createQueue(name, metadata);
    } catch (QueueService.NoPool e) {
      throw ApiException.unavailable("Queue could not be created.");
    }
    c.resp.setHeader("Location", c.requestPath());
    JsonIo.write(c.resp, created ? 201 : 204, null);
  }

  private static ApiException metadataTooLarge(
      java.util.function.Function<String, ApiException> f) {
    return f.apply("Queue metadata is too large. Max size: " + QueueService.MAX_QUEUE_METADATA);
  }

  private void patchQueue(Call c) throws IOException {
    String name = c.seg(0);
    // Zaqar checks the size, then the media type; the body is read (bounded) first either way.
    String text =
        JsonIo.readText(
            c.req, QueueService.MAX_QUEUE_METADATA, () -> metadataTooLarge(ApiException::badBody));
    String type = c.req.getContentType();
    if (type == null || !type.equals(JSON_PATCH)) {
      throw new ApiException(
          415,
          "415 Unsupported Media Type",
          "Accepted media type for PATCH: {'Accept-Patch': '" + JSON_PATCH + "'}.");
    }
    if (text.isEmpty()) {
      throw ApiException.badBody("PATCH body could not be empty for update.");
    }
    JsonNode changes = JsonIo.parseBody(text);
    if (!changes.isArray()) {
      throw Validation.documentTypeNotSupported();
    }
    List<Validation.Change> washed = Validation.queuePatch(changes);
    QueueRecord q = service.queue(name);
    if (q == null) {
      throw ApiException.notFound(
          "Queue " + name + " does not exist for project " + c.projectText());
    }
    ObjectNode metadata = metadata(q);
    Validation.apply(metadata, washed);
    Validation.queueMetadata(metadata, "Invalid request body");
    service.setMetadata(name, metadata);
    JsonIo.write(c.resp, 200, Validation.withDefaults(metadata));
  }

  private void deleteQueue(Call c) throws IOException {
    service.deleteQueue(c.seg(0));
    JsonIo.write(c.resp, 204, null);
  }

  private void stats(Call c) throws IOException {
    String q = c.seg(0);
    QueueService.Stats s = service.stats(q);
    ObjectNode out = JsonIo.object();
    ObjectNode m = out.putObject("messages");
    m.put("claimed", s.claimed());
    m.put("free", s.free());
    m.put("total", s.claimed() + s.free());
    if (s.oldest() != null) {
      long now = System.currentTimeMillis();
      m.set("oldest", statMessage(q, s.oldest(), now));
      m.set("newest", statMessage(q, s.newest(), now));
    }
    JsonIo.write(c.resp, 200, out);
  }

  private static ObjectNode statMessage(String q, StoredMessage msg, long now) {
    ObjectNode n = JsonIo.object();
    n.put("age", age(msg, now));
    n.put("created", CREATED.format(Instant.ofEpochMilli(msg.createdMillis())));
    n.put("href", queuePath(q) + "/messages/" + msg.id());
    return n;
  }

  private static final Set<String> PURGEABLE = Set.of("messages", "subscriptions");

  private void purge(Call c) throws IOException {
    Set<String> types = new LinkedHashSet<>(PURGEABLE);
    if (c.req.getContentLengthLong() > 0 || c.hasBody()) {
      JsonNode doc = c.document(bodyLimit);
      if (!doc.isObject() || !doc.has("resource_types")) {
        throw ApiException.badRequest("Post body must contain key \"resource_types\".");
      }
      types.clear();
      for (JsonNode t : doc.get("resource_types")) {
        types.add(t.asText());
      }
      if (!PURGEABLE.containsAll(types)) {
        throw ApiException.badRequest(
            "Resource types must be a sub set of {'messages', 'subscriptions'}.");
      }
    }
    service.purge(c.seg(0), types);
    JsonIo.write(c.resp, 204, null);
  }

  private static final Set<String> SHARE_KEYS = Set.of("methods", "expires", "paths");
  private static final Set<String> SHARE_PATHS = Set.of("messages", "subscriptions", "claims");

  private void share(Call c) throws IOException {
    JsonNode doc = c.document(bodyLimit);
    if (!doc.isObject()) {
      throw Validation.documentTypeNotSupported();
    }
    List<String> unknown = new ArrayList<>();
    doc.fieldNames()
        .forEachRemaining(
            k -> {
              if (!SHARE_KEYS.contains(k)) {
                unknown.add("'" + k + "'");
              }
            });
    if (!unknown.isEmpty()) {
      throw ApiException.badRequest("Unknown keys: {" + String.join(", ", unknown) + "}");
    }
    String base = queuePath(c.seg(0));
    List<String> paths = new ArrayList<>();
    JsonNode p = doc.get("paths");
    if (Validation.falsy(p)) {
      paths.add(base + "/messages");
    } else {
      List<String> invalid = new ArrayList<>();
      for (JsonNode x : p) {
        if (!SHARE_PATHS.contains(x.asText())) {
          invalid.add("'" + x.asText() + "'");
        }
        paths.add(base + "/" + x.asText());
      }
      if (!invalid.isEmpty()) {
        throw ApiException.badRequest("Invalid paths: {" + String.join(", ", invalid) + "}");
      }
    }
    List<String> methods = null;
    JsonNode m = doc.get("methods");
    if (m != null && !m.isNull()) {
      if (!m.isArray()) {
        throw ApiException.badRequest("`methods` should be a list");
      }
      methods = new ArrayList<>();
      for (JsonNode x : m) {
        methods.add(x.asText());
      }
    }
    JsonNode e = doc.get("expires");
    SignedUrls.Signed s;
    try {
      s =
          SignedUrls.create(
              settings.signedUrlKey(),
              paths,
              c.project,
              e == null || e.isNull() ? null : e.asText(),
              methods);
    } catch (IllegalArgumentException ex) {
      throw ApiException.badRequest(ex.getMessage());
    }
    ObjectNode out = JsonIo.object();
    ArrayNode ps = out.putArray("paths");
    s.paths().forEach(ps::add);
    ArrayNode ms = out.putArray("methods");
    s.methods().forEach(ms::add);
    out.put("project", s.project());
    out.put("expires", s.expires());
    out.put("signature", s.signature());
    JsonIo.write(c.resp, 200, out);
  }

  // ---- messages

  static long age(StoredMessage m, long now) {
    return Math.max(0, (now - m.createdMillis()) / 1000);
  }

  /** Zaqar's {@code format_message_v1_1}: the claim id in the href while a claim holds it. */
  static ObjectNode messageDoc(String queue, StoredMessage m, long now) {
    ObjectNode n = JsonIo.object();
    n.put("id", m.id());
    String href = queuePath(queue) + "/messages/" + m.id();
    if (m.claimedAt(now)) {
      href += "?claim_id=" + m.claimId();
    }
    n.put("href", href);
    n.put("ttl", m.ttl());
    n.put("age", age(m, now));
    n.set("body", JsonIo.parse(m.body()));
    return n;
  }

  private void postMessages(Call c) throws IOException {
    String q = c.seg(0);
    if (c.req.getContentLengthLong() < 0 && !c.hasBody()) {
      throw ApiException.badBody("Request body can not be empty");
    }
    List<StoredMessage> stored;
    try {
      stored = service.postMessages(q, meta -> readMessages(c, meta), c.clientId);
    } catch (QueueService.NoPool e) {
      throw new ApiException(500, "Internal server error", e.getMessage());
    }
    ObjectNode out = JsonIo.object();
    ArrayNode res = out.putArray("resources");
    List<String> ids = new ArrayList<>();
    for (StoredMessage m : stored) {
      res.add(queuePath(q) + "/messages/" + m.id());
      ids.add(m.id());
    }
    c.resp.setHeader("Location", queuePath(q) + "/messages?ids=" + String.join(",", ids));
    JsonIo.write(c.resp, 201, out);
  }

  /** The post's messages, bounded by Zaqar's (and the queue's) max_messages_post_size. */
  private static List<QueueService.NewMessage> readMessages(Call c, ObjectNode meta)
      throws IOException {
    int max = QueueService.MAX_MESSAGES_POST_SIZE;
    JsonNode queueMax = meta.get("_max_messages_post_size");
    java.util.function.Supplier<ApiException> tooLarge =
        () ->
            ApiException.badRequest(
                "Message collection size is too large. Max size "
                    + QueueService.MAX_MESSAGES_POST_SIZE);
    if (queueMax != null && queueMax.isIntegralNumber() && queueMax.intValue() > 0) {
      int queueLimit = queueMax.intValue();
      int min = Math.min(queueLimit, QueueService.MAX_MESSAGES_POST_SIZE);
      if (min < max) {
        max = min;
        tooLarge =
            () ->
                ApiException.badRequest(
                    "Message collection size is too large. The max size for current queue is "
                        + min
                        + ". It is calculated by max size = min(max_messages_post_size_config: "
                        + QueueService.MAX_MESSAGES_POST_SIZE
                        + ", max_messages_post_size_queue: "
                        + queueLimit
                        + ").");
      }
    }
    JsonNode ttlDefault = meta.get("_default_message_ttl");
    int defaultTtl =
        ttlDefault != null && ttlDefault.isIntegralNumber() && ttlDefault.intValue() != 0
            ? ttlDefault.intValue()
            : QueueService.DEFAULT_TTL;
    JsonNode doc = JsonIo.parseBody(JsonIo.readText(c.req, max, tooLarge));
    return parseMessages(doc, defaultTtl);
  }

  /** Checks a {@code {"messages": [...]}} document as Zaqar does and returns its messages. */
  static List<QueueService.NewMessage> parseMessages(JsonNode doc, int defaultTtl) {
    if (doc == null || !doc.isObject() || !doc.has("messages")) {
      throw ApiException.badRequest("No messages were found in the request body.");
    }
    JsonNode list = doc.get("messages");
    if (!list.isArray()) {
      throw Validation.documentTypeNotSupported();
    }
    List<QueueService.NewMessage> out = new ArrayList<>();
    for (JsonNode m : list) {
      if (!m.isObject()) {
        throw Validation.documentTypeNotSupported();
      }
      int ttl = Validation.intField(m, "ttl", defaultTtl);
      if (!m.has("body")) {
        throw ApiException.badBody("Missing \"body\" field.");
      }
      out.add(new QueueService.NewMessage(m.get("body").toString(), ttl));
    }
    if (out.isEmpty()) {
      throw ApiException.badRequest("No messages to enqueu.");
    }
    for (QueueService.NewMessage m : out) {
      if (m.ttl() < QueueService.MIN_TTL || m.ttl() > QueueService.MAX_TTL) {
        throw ApiException.badRequest(Validation.messageTtlMessage());
      }
    }
    return out;
  }

  private void getMessages(Call c) throws IOException {
    String q = c.seg(0);
    List<String> ids = c.listParam("ids");
    long now = System.currentTimeMillis();
    if (ids != null) {
      Validation.limit(ids.size(), QueueService.MAX_PER_PAGE);
      List<StoredMessage> found = service.messages(q, ids);
      if (found.isEmpty()) {
        throw ApiException.notFound(
            "No messages with IDs: "
                + pyList(ids)
                + " found in the queue "
                + q
                + " for project "
                + c.projectText()
                + ".");
      }
      ObjectNode out = JsonIo.object();
      ArrayNode list = out.putArray("messages");
      for (StoredMessage m : found) {
        list.add(messageDoc(q, m, now));
      }
      JsonIo.write(c.resp, 200, out);
      return;
    }
    String marker = c.param("marker");
    Integer limit = c.intParam("limit");
    Boolean echo = c.boolParam("echo");
    Boolean includeClaimed = c.boolParam("include_claimed");
    c.boolParam("include_delayed");
    Validation.limit(limit, QueueService.MAX_PER_PAGE);
    List<StoredMessage> page =
        service.listMessages(
            q,
            marker,
            limit == null ? QueueService.DEFAULT_PER_PAGE : limit,
            Boolean.TRUE.equals(echo),
            Boolean.TRUE.equals(includeClaimed),
            c.clientId);
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : page) {
      list.add(messageDoc(q, m, now));
    }
    ArrayNode links = out.putArray("links");
    if (!page.isEmpty()) {
      Map<String, Object> next = new LinkedHashMap<>();
      next.put("limit", limit);
      next.put("echo", echo);
      next.put("include_claimed", includeClaimed);
      next.put("marker", page.get(page.size() - 1).createdMillis());
      links.addObject().put("rel", "next").put("href", queuePath(q) + "/messages" + query(next));
    }
    JsonIo.write(c.resp, 200, out);
  }

  /** A list of strings as Python prints it: {@code ['a', 'b']}. */
  static String pyList(List<String> items) {
    List<String> quoted = new ArrayList<>();
    for (String s : items) {
      quoted.add("'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'");
    }
    return "[" + String.join(", ", quoted) + "]";
  }

  private void deleteMessages(Call c) throws IOException {
    String q = c.seg(0);
    List<String> ids = c.listParam("ids");
    Integer pop = c.intParam("pop");
    if (pop != null && ids != null) {
      throw ApiException.badRequest(
          "pop and id params cannot be present together in the delete request.");
    }
    if (pop == null && ids == null) {
      throw ApiException.badRequest(
          "The request should have either \"ids\" or \"pop\" parameter in the request, to be"
              + " able to delete.");
    }
    if (pop != null && !(0 < pop && pop <= QueueService.MAX_MESSAGES_PER_CLAIM_OR_POP)) {
      throw ApiException.badRequest(
          "Pop value must be at least 1 and may not be greater than "
              + QueueService.MAX_MESSAGES_PER_CLAIM_OR_POP
              + ".");
    }
    if (ids != null && !(ids.size() <= QueueService.MAX_PER_PAGE)) {
      throw ApiException.badRequest(
          "ids parameter should have at least 1 and not greater than "
              + QueueService.MAX_PER_PAGE
              + " values.");
    }
    if (ids != null) {
      service.deleteMessages(q, ids);
      JsonIo.write(c.resp, 204, null);
      return;
    }
    long now = System.currentTimeMillis();
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : service.pop(q, pop)) {
      ObjectNode n = list.addObject();
      n.put("id", m.id());
      n.put("age", age(m, now));
      n.put("ttl", m.ttl());
      n.put("claim_count", 0);
      n.set("body", JsonIo.parse(m.body()));
      n.putNull("claim_id");
    }
    JsonIo.write(c.resp, 200, out);
  }

  private void getMessage(Call c) throws IOException {
    String q = c.seg(0);
    StoredMessage m = service.message(q, c.seg(2), c.projectText());
    JsonIo.write(c.resp, 200, messageDoc(q, m, System.currentTimeMillis()));
  }

  private void deleteMessage(Call c) throws IOException {
    service.deleteMessage(c.seg(0), c.seg(2), c.param("claim_id"));
    JsonIo.write(c.resp, 204, null);
  }

  // ---- claims

  /** The claim's ttl and grace from the body, Zaqar's defaults for what is missing. */
  private int[] claimSpec(Call c, boolean required) throws IOException {
    if (!required && c.req.getContentLengthLong() <= 0 && !c.hasBody()) {
      return new int[] {QueueService.DEFAULT_CLAIM_TTL, QueueService.DEFAULT_CLAIM_GRACE};
    }
    JsonNode doc = c.document(bodyLimit);
    if (!doc.isObject()) {
      throw Validation.documentTypeNotSupported();
    }
    return new int[] {
      Validation.intField(doc, "ttl", QueueService.DEFAULT_CLAIM_TTL),
      Validation.intField(doc, "grace", QueueService.DEFAULT_CLAIM_GRACE)
    };
  }

  private void createClaim(Call c) throws IOException {
    String q = c.seg(0);
    Integer limit = c.intParam("limit");
    int[] spec = claimSpec(c, false);
    Validation.claimTtl(spec[0]);
    Validation.limit(limit, QueueService.MAX_MESSAGES_PER_CLAIM_OR_POP);
    Validation.claimGrace(spec[1]);
    QueueService.Claim claim =
        service.createClaim(
            q, spec[0], spec[1], limit == null ? QueueService.DEFAULT_MESSAGES_PER_CLAIM : limit);
    if (claim == null) {
      JsonIo.write(c.resp, 204, null);
      return;
    }
    long now = System.currentTimeMillis();
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : claim.messages()) {
      list.add(messageDoc(q, m, now));
    }
    c.resp.setHeader("Location", queuePath(q) + "/claims/" + claim.id());
    JsonIo.write(c.resp, 201, out);
  }

  private void getClaim(Call c) throws IOException {
    String q = c.seg(0);
    QueueService.Claim claim = service.claim(q, c.seg(2), c.projectText());
    long now = System.currentTimeMillis();
    ObjectNode out = JsonIo.object();
    out.put("age", Math.max(0, (now - claim.updatedMillis()) / 1000));
    out.put("ttl", claim.ttl());
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : claim.messages()) {
      list.add(messageDoc(q, m, now));
    }
    out.put("href", c.requestPath());
    JsonIo.write(c.resp, 200, out);
  }

  private void updateClaim(Call c) throws IOException {
    int[] spec = claimSpec(c, true);
    Validation.claimTtl(spec[0]);
    service.updateClaim(c.seg(0), c.seg(2), spec[0], spec[1], c.projectText());
    JsonIo.write(c.resp, 204, null);
  }

  private void deleteClaim(Call c) throws IOException {
    service.deleteClaim(c.seg(0), c.seg(2));
    JsonIo.write(c.resp, 204, null);
  }

  // ---- subscriptions

  private JsonNode subscriptionBody(Call c) throws IOException {
    if (c.req.getContentLengthLong() <= 0 && !c.hasBody()) {
      return JsonIo.object();
    }
    return c.document(bodyLimit);
  }

  private void subscribe(Call c) throws IOException {
    String q = c.seg(0);
    JsonNode doc = subscriptionBody(c);
    Validation.subscription(doc, true);
    JsonNode ttl = doc.get("ttl");
    JsonNode options = doc.get("options");
    QueueService.Subscribed s =
        service.subscribe(
            q,
            doc.get("subscriber").asText(),
            Validation.falsy(ttl) ? QueueService.DEFAULT_SUBSCRIPTION_TTL : ttl.intValue(),
            options == null || !options.isObject() ? "{}" : options.toString());
    c.resp.setHeader("Location", c.requestPath());
    ObjectNode out = JsonIo.object();
    out.put("subscription_id", s.id());
    JsonIo.write(c.resp, 201, out);
  }

  static ObjectNode subscriptionDoc(SubscriptionRecord s, long now) {
    ObjectNode n = JsonIo.object();
    n.put("id", s.getId());
    n.put("source", s.getQueue());
    n.put("subscriber", s.getSubscriber());
    n.put("ttl", s.getTtl());
    n.put("age", Math.max(0, (now - s.getCreated()) / 1000));
    n.set("options", JsonIo.parse(s.getOptions()));
    n.put("confirmed", s.isConfirmed());
    return n;
  }

  private void listSubscriptions(Call c) throws IOException {
    String q = c.seg(0);
    String marker = c.param("marker");
    Integer limit = c.intParam("limit");
    Validation.limit(limit, QueueService.MAX_PER_PAGE);
    List<SubscriptionRecord> page =
        service.subscriptions(q, marker, limit == null ? QueueService.DEFAULT_PER_PAGE : limit);
    long now = System.currentTimeMillis();
    ObjectNode out = JsonIo.object();
    ArrayNode list = out.putArray("subscriptions");
    for (SubscriptionRecord s : page) {
      list.add(subscriptionDoc(s, now));
    }
    ArrayNode links = out.putArray("links");
    if (!page.isEmpty()) {
      Map<String, Object> next = new LinkedHashMap<>();
      next.put("limit", limit);
      next.put("marker", page.get(page.size() - 1).getId());
      links
          .addObject()
          .put("rel", "next")
          .put("href", queuePath(q) + "/subscriptions" + query(next));
    }
    JsonIo.write(c.resp, 200, out);
  }

  private void getSubscription(Call c) throws IOException {
    JsonIo.write(
        c.resp,
        200,
        subscriptionDoc(service.subscription(c.seg(0), c.seg(2)), System.currentTimeMillis()));
  }

  private void updateSubscription(Call c) throws IOException {
    JsonNode doc = subscriptionBody(c);
    Validation.subscription(doc, false);
    JsonNode subscriber = doc.get("subscriber");
    JsonNode ttl = doc.get("ttl");
    JsonNode options = doc.get("options");
    service.updateSubscription(
        c.seg(0),
        c.seg(2),
        subscriber == null || subscriber.isNull() ? null : subscriber.asText(),
        ttl == null || ttl.isNull() ? null : ttl.intValue(),
        options == null || !options.isObject() ? null : options.toString());
    c.resp.setHeader("Location", c.requestPath());
    JsonIo.write(c.resp, 204, null);
  }

  private void deleteSubscription(Call c) throws IOException {
    service.deleteSubscription(c.seg(0), c.seg(2));
    JsonIo.write(c.resp, 204, null);
  }

  private void confirm(Call c) throws IOException {
    JsonNode doc = subscriptionBody(c);
    JsonNode confirmed = doc.get("confirmed");
    if (confirmed == null || !confirmed.isBoolean()) {
      throw ApiException.badRequest("The 'confirmed' should be boolean.");
    }
    service.confirmSubscription(c.seg(0), c.seg(2), confirmed.booleanValue());
    c.resp.setHeader("Location", c.requestPath());
    JsonIo.write(c.resp, 204, null);
  }
}
