package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.PoolRecord;
import dev.weft.testapp.storage.MessageStores;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v2/pools} and {@code /v2/pools/{name}} (Zaqar's admin API): register (PUT, an upsert),
 * show, update (PATCH), list, delete. Passwords in URIs are shown as {@code ***}; {@code kind}
 * (mongodb, redis, sql) is the test-app's own addition.
 */
final class PoolsServlet extends ApiServlet {
  private final QueueService service;
  private final int bodyLimit;

  PoolsServlet(QueueService service, ApiService.Settings settings) {
    super(settings);
    this.service = service;
    this.bodyLimit = settings.bodyLimit();
  }

  @Override
  Resource route(List<String> p) {
    if (p.isEmpty()) {
      return new Resource().on("GET", this::list);
    }
    if (p.size() == 1) {
      return new Resource()
          .on("GET", this::get)
          .on("PUT", this::put)
          .on("PATCH", this::patch)
          .on("DELETE", this::delete);
    }
    return null;
  }

  /** wsgi_utils.load: the body as JSON, "JSON could not be parsed." otherwise. */
  private JsonNode load(Call c) throws IOException {
    String text = JsonIo.readText(c.req, bodyLimit, () -> JsonIo.tooLarge(bodyLimit));
    try {
      JsonNode n = JsonIo.JSON.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new IOException("empty");
      }
      return n;
    } catch (IOException e) {
      throw ApiException.badBody("JSON could not be parsed.");
    }
  }

  private static ObjectNode requireObject(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badBody("The request body must be a JSON object.");
    }
    return (ObjectNode) body;
  }

  private static String uri(JsonNode uri, boolean required) {
    if (uri == null && !required) {
      return null;
    }
    if (uri == null || !uri.isTextual()) {
      throw ApiException.badBody("\"uri\" is required and must be a string.");
    }
    return uri.asText();
  }

  private static Integer weight(JsonNode weight, boolean required) {
    if (weight == null && !required) {
      return null;
    }
    if (weight == null || !weight.isIntegralNumber() || !weight.canConvertToInt()) {
      throw ApiException.badBody("\"weight\" is required and must be an integer.");
    }
    if (weight.intValue() < 0) {
      throw ApiException.badBody("\"weight\" must be an integer of 0 or more.");
    }
    return weight.intValue();
  }

  private static String flavor(JsonNode flavor) {
    if (flavor == null || flavor.isNull()) {
      return null;
    }
    if (!flavor.isTextual()) {
      throw ApiException.badBody("\"flavor\" must be a string.");
    }
    return flavor.asText();
  }

  private static String options(JsonNode options) {
    if (options == null || options.isNull()) {
      return null;
    }
    if (!options.isObject()) {
      throw ApiException.badBody("\"options\" must be an object.");
    }
    return options.toString();
  }

  private void put(Call c) throws IOException {
    ObjectNode body = requireObject(load(c));
    String uri = uri(body.get("uri"), true);
    int weight = weight(body.get("weight"), true);
    service.putPool(
        c.seg(0), uri, weight, flavor(body.get("flavor")), options(body.get("options")));
    c.resp.setHeader("Location", c.requestPath());
    JsonIo.write(c.resp, 201, null);
  }

  private void patch(Call c) throws IOException {
    ObjectNode body = requireObject(load(c));
    if (!(body.has("uri") || body.has("weight") || body.has("flavor") || body.has("options"))) {
      throw ApiException.badBody(
          "One of `uri`, `weight`, `flavor`, or `options` needs to be specified");
    }
    String uri = uri(body.get("uri"), false);
    Integer weight = weight(body.get("weight"), false);
    String flavor = flavor(body.get("flavor"));
    String options = options(body.get("options"));
    PoolRecord r = service.updatePool(c.seg(0), uri, weight, flavor, options);
    JsonIo.write(c.resp, 200, poolDoc(r, false));
  }

  private void get(Call c) throws IOException {
    JsonIo.write(c.resp, 200, poolDoc(service.pool(c.seg(0)), c.flag("detailed")));
  }

  private void delete(Call c) throws IOException {
    service.deletePool(c.seg(0));
    JsonIo.write(c.resp, 204, null);
  }

  private void list(Call c) throws IOException {
    String marker = c.param("marker");
    Integer limit = c.intParam("limit");
    Boolean detailed = c.boolParam("detailed");
    Validation.listLimit(limit, QueueService.MAX_PER_PAGE);
    List<PoolRecord> page =
        service.pools(marker, limit == null ? QueueService.DEFAULT_PER_PAGE : limit);
    ObjectNode out = JsonIo.object();
    ArrayNode links = out.putArray("links");
    ArrayNode list = out.putArray("pools");
    for (PoolRecord r : page) {
      list.add(poolDoc(r, Boolean.TRUE.equals(detailed)));
    }
    if (!page.isEmpty()) {
      Map<String, Object> next = new LinkedHashMap<>();
      next.put("limit", limit);
      next.put("detailed", detailed);
      next.put("marker", page.get(page.size() - 1).getName());
      links.addObject().put("rel", "next").put("href", "/v2/pools" + QueuesServlet.query(next));
    }
    JsonIo.write(c.resp, 200, out);
  }

  static ObjectNode poolDoc(PoolRecord r, boolean detailed) {
    ObjectNode n = JsonIo.object();
    n.put("name", r.getName());
    n.put("uri", MessageStores.redact(r.getUri()));
    n.put("weight", r.getWeight());
    n.put("flavor", r.getFlavor());
    if (detailed) {
      n.set("options", JsonIo.parse(r.getOptions()));
    }
    n.put("href", "/v2/pools/" + r.getName());
    n.put("kind", MessageStores.kindOf(r.getUri()));
    return n;
  }
}
