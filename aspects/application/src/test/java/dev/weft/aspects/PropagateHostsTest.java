package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sample.Caller;

/**
 * A woven HttpClient call inside a trace is traced whatever its destination, but carries the signed
 * pair and traceparent only to hosts that {@code weft.http.propagate_hosts} allows; its span
 * records the path with ids and secrets as {@code ?} ({@code weft.http.path_values}).
 */
class PropagateHostsTest {
  static HttpServer server;
  static final List<Map<String, String>> seen = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    server =
        HttpServer.create(new InetSocketAddress(0), 0); // every address: 127.0.0.1 and localhost
    server.createContext(
        "/",
        ex -> {
          Map<String, String> h = new java.util.TreeMap<>();
          for (String n :
              List.of(
                  TraceHeaders.X_TRACE_INFO, TraceHeaders.X_TRACE_HMAC, TraceHeaders.TRACEPARENT)) {
            String v = ex.getRequestHeaders().getFirst(n);
            if (v != null) {
              h.put(n, v);
            }
          }
          synchronized (seen) {
            seen.add(h);
          }
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    Weft.resetRuntimeChanges();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> recordedRequest(String pathAndQuery) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    String base = java.util.UUID.randomUUID().toString();
    try (TraceScope t = Trace.begin(base, null, "k")) {
      assertThat(new Caller().get(uri)).isEqualTo(204);
    }
    Weft.flush();
    List<Event> starts =
        MemoryCollector.events().stream()
            .filter(e -> e.baseId().equals(base) && e.name().equals("http-start"))
            .toList();
    assertThat(starts).hasSize(1);
    Map<String, Object> info =
        (Map<String, Object>)
            new ObjectMapper().readValue(starts.get(0).json(), Map.class).get("info");
    assertThat(info.get("host")).isEqualTo("path-host");
    return (Map<String, Object>) info.get("requests");
  }

  private static Map<String, Object> requests(String path, String query) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", "GET");
    m.put("query", query);
    m.put("path", path);
    m.put("hostname", "127.0.0.1");
    m.put("port", server.getAddress().getPort());
    m.put("scheme", "http");
    return m;
  }

  @Test
  void aCapabilityUrlsSecretIsRecordedAsQuestionMark_unlessAllPathValuesAreAskedFor()
      throws Exception {
    Weft.set("weft.host", "path-host");
    String slack = "/services/T0001/B0002/XyZsecret123";
    try {
      assertThat(recordedRequest(slack + "?token=abc"))
          .containsExactlyEntriesOf(requests("/services/T0001/B0002/?", "token=?"));
      assertThat(recordedRequest("/v2/queues/demo-1/messages/507f1f77bcf86cd799439011"))
          .containsExactlyEntriesOf(requests("/v2/queues/demo-1/messages/?", ""));
      assertThat(recordedRequest("/v2/queues/demo-1/messages;jsessionid=A1B2C3"))
          .containsExactlyEntriesOf(requests("/v2/queues/demo-1/messages;jsessionid=?", ""));
      Weft.set("weft.http.path_values", "all");
      assertThat(recordedRequest(slack)).containsExactlyEntriesOf(requests(slack, ""));
      Weft.set("weft.http.path_values", "none");
      assertThat(recordedRequest(slack)).containsExactlyEntriesOf(requests("/services/?/?/?", ""));
      Weft.set("weft.http.path_values", null);
      Weft.set("weft.http.path_templates", "/services/*/*/*");
      assertThat(recordedRequest("/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"))
          .containsExactlyEntriesOf(requests("/services/?/?/?", ""));
    } finally {
      Weft.set("weft.http.path_values", null);
      Weft.set("weft.http.path_templates", null);
      Weft.set("weft.host", null);
    }
  }

  private static Map<String, String> call(String host) throws Exception {
    synchronized (seen) {
      seen.clear();
    }
    URI uri = URI.create("http://" + host + ":" + server.getAddress().getPort() + "/x");
    String base = java.util.UUID.randomUUID().toString(); // a UUID: traceparent carries it
    try (TraceScope t = Trace.begin(base, null, "k")) {
      assertThat(new Caller().get(uri)).isEqualTo(204);
    }
    Weft.flush();
    assertThat(
            MemoryCollector.events().stream()
                .filter(e -> e.baseId().equals(base))
                .map(e -> e.name()))
        .containsExactly("http-start", "http-stop");
    synchronized (seen) {
      assertThat(seen).hasSize(1);
      return seen.get(0);
    }
  }

  @Test
  void onlyAllowedHostsGetTheHeaders_everyCallIsTraced() throws Exception {
    Weft.set("weft.http.propagate_hosts", "127.0.0.1");
    try {
      assertThat(call("127.0.0.1").keySet())
          .containsExactly(
              TraceHeaders.X_TRACE_HMAC, TraceHeaders.X_TRACE_INFO, TraceHeaders.TRACEPARENT);
      assertThat(call("localhost")).isEmpty();
      Weft.set("weft.http.propagate_hosts", null); // the default, internal: localhost is in it
      assertThat(call("localhost")).hasSize(3);
    } finally {
      Weft.set("weft.http.propagate_hosts", null);
    }
  }
}
