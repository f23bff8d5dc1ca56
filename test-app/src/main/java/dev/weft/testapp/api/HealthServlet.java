package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testapp.storage.MessageStore;
import dev.weft.testapp.storage.StoredMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /v2/health}: Zaqar's detailed health of a pooled service: {@code catalog_reachable}
 * (every pool's store answers) and per pool {@code storage_reachable} and {@code operation_status},
 * the outcome and duration of each step of a small workload run in the pool (a queue, 100 posted
 * messages, a claim, a listing, deleting the claimed messages, releasing the claim, a bulk delete,
 * dropping the queue), as Zaqar's storage drivers report it.
 */
final class HealthServlet extends ApiServlet {
  private final QueueService service;

  HealthServlet(QueueService service, ApiService.Settings settings) {
    super(settings);
    this.service = service;
  }

  @Override
  Resource route(List<String> path) {
    return path.isEmpty() ? new Resource().on("GET", this::health) : null;
  }

  private void health(Call c) throws IOException {
    Map<String, Boolean> reachable = service.reachability();
    ObjectNode out = JsonIo.object();
    out.put("catalog_reachable", !reachable.containsValue(false));
    for (Map.Entry<String, Boolean> p : reachable.entrySet()) {
      ObjectNode pool = out.putObject(p.getKey());
      pool.put("storage_reachable", p.getValue());
      MessageStore store = p.getValue() ? service.storeOfPool(p.getKey()) : null;
      if (store != null) {
        pool.set("operation_status", operations(store));
      }
    }
    JsonIo.write(c.resp, 200, out);
  }

  /** A step of the workload; its failure is reported, not thrown. */
  private interface Op<T> {
    T run() throws Exception;
  }

  private static <T> T timed(ObjectNode status, String name, Op<T> op) {
    long t0 = System.nanoTime();
    T result = null;
    String ref = null;
    try {
      result = op.run();
    } catch (Exception e) {
      ref = UUID.randomUUID().toString();
    }
    ObjectNode s = status.putObject(name);
    s.put("succeeded", ref == null);
    s.put("seconds", (System.nanoTime() - t0) / 1e9);
    s.put("ref", ref);
    return result;
  }

  private ObjectNode operations(MessageStore store) {
    ObjectNode status = JsonIo.object();
    String queue = "weft-health-" + UUID.randomUUID().toString().replace("-", "");
    String client = UUID.randomUUID().toString();
    timed(status, "create_queue", () -> queue);
    List<StoredMessage> posted =
        timed(
            status,
            "post_messages",
            () -> {
              List<StoredMessage> out = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                out.add(store.post(queue, "{\"event\": \"p_" + i + "\"}", 600, client));
              }
              return out;
            });
    if (posted != null) {
      QueueService.Claim claim =
          timed(
              status,
              "claim_messages",
              () ->
                  service.claimIn(store, queue, 60, 300, QueueService.DEFAULT_MESSAGES_PER_CLAIM));
      timed(status, "list_messages", () -> store.scan(queue, 0, 10, m -> true));
      if (claim != null) {
        timed(
            status,
            "delete_messages",
            () -> {
              for (StoredMessage m : claim.messages()) {
                store.delete(queue, m.id());
              }
              return null;
            });
        timed(
            status,
            "delete_claim",
            () -> {
              service.releaseIn(store, queue, claim.id());
              return null;
            });
      }
      timed(
          status,
          "bulk_delete_messages",
          () -> {
            for (StoredMessage m : posted) {
              store.delete(queue, m.id());
            }
            return null;
          });
    }
    timed(
        status,
        "delete_queue",
        () -> {
          store.drop(queue);
          return null;
        });
    return status;
  }
}
