package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.management.PoolRecord;
import dev.weft.testapp.storage.MessageStores;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /v2/pools} and {@code /v2/pools/{name}}: register a pool, list them, show one. */
final class PoolsServlet extends ApiServlet {
  private final QueueService service;
  private final int bodyLimit;

  PoolsServlet(QueueService service, int bodyLimit) {
    this.service = service;
    this.bodyLimit = bodyLimit;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.isEmpty()) {
            ObjectNode out = JsonIo.object();
            ArrayNode list = out.putArray("pools");
            for (PoolRecord r : service.pools()) {
              list.add(poolDoc(r));
            }
            out.putArray("links");
            JsonIo.write(resp, 200, out);
          } else if (p.size() == 1) {
            JsonIo.write(resp, 200, poolDoc(service.pool(p.get(0))));
          } else {
            throw noSuchPath();
          }
        });
  }

  @Override
  protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    run(
        req,
        resp,
        p -> {
          if (p.size() != 1) {
            throw p.isEmpty() ? notAllowed() : noSuchPath();
          }
          JsonNode body = requireObject(JsonIo.readBody(req, bodyLimit));
          JsonNode uri = body.get("uri");
          JsonNode weight = body.get("weight");
          if (uri == null || !uri.isTextual()) {
            throw ApiException.badRequest("\"uri\" is required and must be a string.");
          }
          if (weight == null || !weight.isIntegralNumber() || !weight.canConvertToInt()) {
            throw ApiException.badRequest("\"weight\" is required and must be an integer.");
          }
          boolean created = service.putPool(p.get(0), uri.asText(), weight.intValue());
          resp.setHeader("Location", "/v2/pools/" + p.get(0));
          JsonIo.write(resp, created ? 201 : 204, null);
        });
  }

  private static ObjectNode poolDoc(PoolRecord r) {
    ObjectNode n = JsonIo.object();
    n.put("name", r.getName());
    n.put("href", "/v2/pools/" + r.getName());
    n.put("uri", MessageStores.redact(r.getUri()));
    n.put("weight", r.getWeight());
    n.put("kind", MessageStores.kindOf(r.getUri()));
    return n;
  }
}
