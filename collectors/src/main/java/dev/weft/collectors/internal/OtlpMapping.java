package dev.weft.collectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.spi.Event;
import dev.weft.spi.TraceCategory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns a batch of OSProfiler events into OpenTelemetry spans, one per start/stop pair.
 *
 * <ul>
 *   <li><b>Ids</b>, as OSProfiler's otlp driver and Weft's {@code traceparent} do: trace id = the
 *       128 bits of the base_id UUID; span id = the low 64 bits of the span's trace_id UUID; parent
 *       span id = the low 64 bits of parent_id, none when the parent is the base_id itself or not a
 *       UUID (a root span). An id that is not a UUID (OSProfiler accepts any string from a signed
 *       header) is mapped to a stable value: the first 16 (trace) or 8 (span) bytes of the SHA-256
 *       of its UTF-8 text.
 *   <li><b>Kind</b> from the span name: SERVER for {@code wsgi}/{@code servlet}; CLIENT for {@code
 *       db}/{@code sql}/{@code redis}/{@code mongodb}/{@code http}/{@code https}/{@code requests},
 *       or any span whose start info has a {@code db}, {@code redis} or {@code mongodb} member;
 *       INTERNAL otherwise.
 *   <li><b>Attributes</b> with semantic-convention names (see {@link #known}; outgoing calls as
 *       OSProfiler's {@code requests} integration records them, {@code requests.hostname} and the
 *       rest, map like the servlet's {@code request.*}); every other info member is kept as {@code
 *       osprofiler.info.<path>}. {@code host} goes to the resource.
 *   <li><b>Resource</b>: {@code service.name} = the event's service, {@code service.namespace} =
 *       its project, {@code host.name} = info.host.
 *   <li><b>Status</b> ERROR (description = message) when the stop event has {@code etype}.
 * </ul>
 */
public final class OtlpMapping {
  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.weft");
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  // Semantic-convention attribute keys, in one place.
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME =
      AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> CODE_FUNCTION_NAME =
      AttributeKey.stringKey("code.function.name");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_NAMESPACE = AttributeKey.stringKey("service.namespace");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final String RAW_PREFIX = "osprofiler.info.";

  private final Map<List<String>, Resource> resources = new HashMap<>();

  /**
   * The spans of a batch. A stop event is paired with the start event of the same trace_id (Weft
   * hands them over adjacent); a start without its stop in the batch ends where it started, a stop
   * without its start starts where it ended.
   */
  public List<SpanData> spans(List<Event> batch) {
    Map<String, JsonNode> open = new LinkedHashMap<>();
    List<SpanData> out = new ArrayList<>(batch.size() / 2 + 1);
    for (Event e : batch) {
      JsonNode n = EventJson.parse(e.json());
      if (n == null) {
        continue;
      }
      String traceId = EventJson.text(n, "trace_id");
      String name = e.name() != null ? e.name() : EventJson.text(n, "name");
      if (traceId == null || name == null) {
        continue;
      }
      if (name.endsWith("-start")) {
        JsonNode previous = open.put(traceId, n);
        if (previous != null) {
          out.add(span(previous, previous));
        }
      } else {
        JsonNode start = open.remove(traceId);
        out.add(span(start != null ? start : n, n));
      }
    }
    for (JsonNode start : open.values()) {
      out.add(span(start, start));
    }
    return out;
  }

  SpanData span(JsonNode start, JsonNode stop) {
    String eventName = Objects.requireNonNullElse(EventJson.text(start, "name"), "");
    String name = baseName(eventName);
    String baseId = Objects.requireNonNullElse(EventJson.text(start, "base_id"), "");
    String traceId = traceIdHex(baseId);
    SpanContext ctx =
        SpanContext.create(
            traceId,
            spanIdHex(Objects.requireNonNullElse(EventJson.text(start, "trace_id"), "")),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    String parentSpan = parentSpanIdHex(EventJson.text(start, "parent_id"), baseId);
    SpanContext parent =
        parentSpan == null
            ? SpanContext.getInvalid()
            : SpanContext.create(
                traceId, parentSpan, TraceFlags.getSampled(), TraceState.getDefault());
    JsonNode startInfo = start.path("info");
    JsonNode stopInfo = start == stop ? null : stop.path("info");
    AttributesBuilder attrs = Attributes.builder();
    addInfo(name, startInfo, attrs);
    if (stopInfo != null) {
      addInfo(name, stopInfo, attrs);
    }
    String dbSystem = dbSystem(name, startInfo);
    if (dbSystem != null && attrs.build().get(DB_SYSTEM_NAME) == null) {
      attrs.put(DB_SYSTEM_NAME, dbSystem);
    }
    StatusData status = StatusData.unset();
    JsonNode etype = stopInfo == null ? null : stopInfo.get("etype");
    if (etype != null && !etype.isNull()) {
      JsonNode message = stopInfo.get("message");
      status =
          StatusData.create(
              StatusCode.ERROR, message == null || message.isNull() ? "" : message.asText());
    }
    return new OtlpSpan(
        name,
        kind(name, startInfo),
        ctx,
        parent,
        status,
        epochNanos(EventJson.text(start, "timestamp")),
        epochNanos(EventJson.text(stop, "timestamp")),
        attrs.build(),
        resource(
            EventJson.text(start, "service"),
            EventJson.text(start, "project"),
            startInfo.path("host").isTextual() ? startInfo.get("host").asText() : null),
        SCOPE);
  }

  static String baseName(String eventName) {
    if (eventName.endsWith("-start")) {
      return eventName.substring(0, eventName.length() - "-start".length());
    }
    if (eventName.endsWith("-stop")) {
      return eventName.substring(0, eventName.length() - "-stop".length());
    }
    return eventName;
  }

  private static long epochNanos(String ts) {
    if (ts == null) {
      return 0;
    }
    try {
      return Event.parseTimestamp(ts) * 1000L;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private Resource resource(String service, String project, String host) {
    return resources.computeIfAbsent(
        java.util.Arrays.asList(service, project, host),
        k -> {
          AttributesBuilder b = Attributes.builder();
          if (service != null) {
            b.put(SERVICE_NAME, service);
          }
          if (project != null) {
            b.put(SERVICE_NAMESPACE, project);
          }
          if (host != null) {
            b.put(HOST_NAME, host);
          }
          return Resource.create(b.build());
        });
  }

  // ---- ids ----

  static boolean isUuid(String s) {
    return s != null && UUID_TEXT.matcher(s).matches();
  }

  /** The OTLP trace id (32 hex digits) of a base_id. */
  public static String traceIdHex(String baseId) {
    if (isUuid(baseId)) {
      return baseId.replace("-", "").toLowerCase(Locale.ROOT);
    }
    return hex(sha256(baseId), 16);
  }

  /** The OTLP span id (16 hex digits) of a span's trace_id. */
  public static String spanIdHex(String spanUuid) {
    if (isUuid(spanUuid)) {
      String low = spanUuid.replace("-", "").toLowerCase(Locale.ROOT).substring(16);
      return low.equals("0000000000000000") ? "0000000000000001" : low;
    }
    byte[] h = sha256(spanUuid);
    String s = hex(h, 8);
    return s.equals("0000000000000000") ? "0000000000000001" : s;
  }

  /** The parent span id, or null for a root span (parent is the base_id, absent or not a UUID). */
  public static String parentSpanIdHex(String parentId, String baseId) {
    if (parentId == null || parentId.equals(baseId) || !isUuid(parentId)) {
      return null;
    }
    return spanIdHex(parentId);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b, int bytes) {
    StringBuilder sb = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(b[i] & 0xf, 16));
    }
    return sb.toString();
  }

  // ---- kind ----

  /** The span kind from core's category table, by span name; unknown names by their info. */
  static SpanKind kind(String name, JsonNode startInfo) {
    TraceCategory c = TraceCategory.forSpanName(name);
    if (c != null) {
      return switch (c.kind()) {
        case SERVER -> SpanKind.SERVER;
        case CLIENT -> SpanKind.CLIENT;
        case INTERNAL -> SpanKind.INTERNAL;
      };
    }
    if (startInfo != null
        && (startInfo.has("db") || startInfo.has("redis") || startInfo.has("mongodb"))) {
      return SpanKind.CLIENT;
    }
    return SpanKind.INTERNAL;
  }

  private static String dbSystem(String name, JsonNode startInfo) {
    switch (name) {
      case "redis":
        return "redis";
      case "mongodb":
        return "mongodb";
      case "db":
      case "sql":
        return "other_sql";
      default:
        if (startInfo.has("redis")) {
          return "redis";
        }
        if (startInfo.has("mongodb")) {
          return "mongodb";
        }
        return startInfo.has("db") ? "other_sql" : null;
    }
  }

  // ---- attributes ----

  /** The semantic-convention key of an info path, or null when it has none. */
  static AttributeKey<?> known(String path) {
    switch (path) {
      case "request.method":
      case "requests.method":
        return HTTP_REQUEST_METHOD;
      case "request.path":
      case "requests.path":
        return URL_PATH;
      case "request.query":
      case "requests.query":
        return URL_QUERY;
      case "request.scheme":
      case "requests.scheme":
        return URL_SCHEME;
      case "request.url":
        return URL_FULL;
      case "request.host":
      case "requests.hostname":
        return SERVER_ADDRESS;
      case "request.port":
      case "requests.port":
        return SERVER_PORT;
      case "response.status":
      case "requests.status":
      case "requests.status_code":
        return HTTP_RESPONSE_STATUS_CODE;
      case "function.name":
        return CODE_FUNCTION_NAME;
      case "etype":
        return ERROR_TYPE;
      case "message":
        return EXCEPTION_MESSAGE;
      default:
        break;
    }
    int dot = path.indexOf('.');
    if (dot < 0) {
      return null;
    }
    String head = path.substring(0, dot);
    if (!head.equals("db") && !head.equals("redis") && !head.equals("mongodb")) {
      return null;
    }
    switch (path.substring(dot + 1)) {
      case "system":
        return DB_SYSTEM_NAME;
      case "statement":
      case "query":
      case "sql":
        return DB_QUERY_TEXT;
      case "command":
      case "operation":
        return DB_OPERATION_NAME;
      case "collection":
      case "table":
        return DB_COLLECTION_NAME;
      case "database":
      case "db":
      case "namespace":
        return DB_NAMESPACE;
      default:
        return null;
    }
  }

  private static void addInfo(String spanName, JsonNode info, AttributesBuilder attrs) {
    if (info == null || !info.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = info.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> en = it.next();
      if (en.getKey().equals("host")) {
        continue;
      }
      add(en.getKey(), en.getValue(), attrs);
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(String path, JsonNode v, AttributesBuilder attrs) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    if (v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        add(path + "." + en.getKey(), en.getValue(), attrs);
      }
      return;
    }
    AttributeKey<?> key = known(path);
    if (key != null) {
      if (key == URL_QUERY && v.asText().isEmpty()) {
        return;
      }
      switch (key.getType()) {
        case LONG:
          if (v.canConvertToLong() || v.isTextual()) {
            try {
              attrs.put(
                  (AttributeKey<Long>) key, v.isNumber() ? v.asLong() : Long.parseLong(v.asText()));
              return;
            } catch (NumberFormatException e) {
              break; // kept below as raw text
            }
          }
          break;
        default:
          attrs.put((AttributeKey<String>) key, v.asText());
          return;
      }
    }
    String raw = RAW_PREFIX + path;
    if (v.isBoolean()) {
      attrs.put(AttributeKey.booleanKey(raw), v.asBoolean());
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      attrs.put(AttributeKey.longKey(raw), v.asLong());
    } else if (v.isNumber()) {
      attrs.put(AttributeKey.doubleKey(raw), v.asDouble());
    } else if (v.isTextual()) {
      attrs.put(AttributeKey.stringKey(raw), v.asText());
    } else {
      attrs.put(AttributeKey.stringKey(raw), v.toString());
    }
  }
}
