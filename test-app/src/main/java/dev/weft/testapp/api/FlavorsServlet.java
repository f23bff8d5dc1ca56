package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v2/flavors} and {@code /v2/flavors/{name}} (Zaqar's admin API): a flavor names the pools
 * that serve it ({@code pool_list}); a queue created with {@code _flavor} in its metadata is placed
 * among them.
 */
final class FlavorsServlet extends ApiServlet {
  private final QueueService service;
  private final int bodyLimit;

  FlavorsServlet(QueueService service, ApiService.Settings settings) {
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

  private ObjectNode load(Call c) throws IOException {
    String text = JsonIo.readText(c.req, bodyLimit, () -> JsonIo.tooLarge(bodyLimit));
    JsonNode n;
    try {
      n = JsonIo.JSON.readTree(text);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || n.isMissingNode()) {
      throw ApiException.badBody("JSON could not be parsed.");
    }
    if (!n.isObject()) {
      throw ApiException.badBody("The request body must be a JSON object.");
    }
    return (ObjectNode) n;
  }

  private static List<String> poolList(JsonNode list) {
    if (list == null || !list.isArray()) {
      throw ApiException.badBody("`pool_list` needs to be specified");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode p : list) {
      if (!p.isTextual()) {
        throw ApiException.badBody("`pool_list` must be a list of pool names.");
      }
      out.add(p.asText());
    }
    return out;
  }

  private void put(Call c) throws IOException {
    ObjectNode body = load(c);
    service.putFlavor(c.seg(0), poolList(body.get("pool_list")), c.project);
    c.resp.setHeader("Location", c.requestPath());
    JsonIo.write(c.resp, 201, null);
  }

  private void patch(Call c) throws IOException {
    ObjectNode body = load(c);
    QueueService.Flavor f = service.updateFlavor(c.seg(0), poolList(body.get("pool_list")));
    JsonIo.write(c.resp, 200, flavorDoc(f, true));
  }

  private void get(Call c) throws IOException {
    JsonIo.write(c.resp, 200, flavorDoc(service.flavor(c.seg(0)), true));
  }

  private void delete(Call c) throws IOException {
    service.deleteFlavor(c.seg(0));
    JsonIo.write(c.resp, 204, null);
  }

  private void list(Call c) throws IOException {
    String marker = c.param("marker");
    Integer limit = c.intParam("limit");
    Boolean detailed = c.boolParam("detailed");
    Validation.listLimit(limit, QueueService.MAX_PER_PAGE);
    List<QueueService.Flavor> page =
        service.flavors(marker, limit == null ? QueueService.DEFAULT_PER_PAGE : limit);
    ObjectNode out = JsonIo.object();
    ArrayNode links = out.putArray("links");
    ArrayNode list = out.putArray("flavors");
    for (QueueService.Flavor f : page) {
      ObjectNode n = list.addObject();
      n.put("name", f.name());
      n.put("href", "/v2/flavors/" + f.name());
      if (!f.pools().isEmpty()) {
        ArrayNode pl = n.putArray("pool_list");
        f.pools().forEach(pl::add);
      }
      if (Boolean.TRUE.equals(detailed)) {
        ArrayNode caps = n.putArray("capabilities");
        f.capabilities().forEach(caps::add);
      }
    }
    if (!page.isEmpty()) {
      Map<String, Object> next = new LinkedHashMap<>();
      next.put("limit", limit);
      next.put("marker", page.get(page.size() - 1).name());
      next.put("detailed", detailed);
      links.addObject().put("rel", "next").put("href", "/v2/flavors" + QueuesServlet.query(next));
    }
    JsonIo.write(c.resp, 200, out);
  }

  private static ObjectNode flavorDoc(QueueService.Flavor f, boolean withCapabilities) {
    ObjectNode n = JsonIo.object();
    n.put("name", f.name());
    if (withCapabilities) {
      ArrayNode caps = n.putArray("capabilities");
      f.capabilities().forEach(caps::add);
    }
    ArrayNode pl = n.putArray("pool_list");
    f.pools().forEach(pl::add);
    n.put("href", "/v2/flavors/" + f.name());
    return n;
  }
}
