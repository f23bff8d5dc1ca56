package dev.weft.testapp.api;

import java.util.List;

/**
 * {@code /v2/ping}: 204 while the service is up (Zaqar's ping, GET and HEAD). Zaqar's ping also
 * answers 503 when a pool's storage is unreachable; this one leaves that to {@code /v2/health}, so
 * that a load balancer keeps a service whose one pool is down.
 */
final class PingServlet extends ApiServlet {
  PingServlet(ApiService.Settings settings) {
    super(settings);
  }

  @Override
  Resource route(List<String> path) {
    if (!path.isEmpty()) {
      return null;
    }
    return new Resource()
        .on("GET", c -> c.resp.setStatus(204))
        .on("HEAD", c -> c.resp.setStatus(204));
  }
}
