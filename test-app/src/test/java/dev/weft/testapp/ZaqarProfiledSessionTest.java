package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Weft;
import dev.weft.annotations.Category;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.demo.EmbeddedServers;
import dev.weft.testing.TraceTree;
import dev.weft.testing.WeftTesting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A profiled python-zaqarclient session is one Weft trace: src/test/python/zaqar_profiled.py
 * initialises OSProfiler ({@code profiler.init(KEY)}) and makes a few client calls, each inside an
 * OSProfiler span; zaqarclient's transport signs every request with OSProfiler's headers; the API's
 * entry spans of each call's requests must be in the trace of that base_id, below that call's span
 * (a call outside any span: below the base). Skipped, with the reason, when zaqarclient or
 * osprofiler does not import in {@code /usr/bin/python3}.
 */
class ZaqarProfiledSessionTest {
  static final String KEY = "zaqar-profiled-key";
  static final String ENTRY = "wsgi";
  static EmbeddedServers.Redis redis;
  static ApiService api;

  @BeforeAll
  static void start() throws Exception {
    for (String module : List.of("zaqarclient", "osprofiler")) {
      String why = Python.cannotImport(module);
      assumeTrue(why == null, "python-zaqarclient with OSProfiler is not available: " + why);
    }
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", KEY);
    Weft.set("weft.service", "queue-api");
    Weft.set("weft.max_traces_per_second", "10000");
    for (String c :
        List.of(
            Category.ANNOTATED,
            Category.SERVLET,
            Category.HTTP,
            Category.REDIS,
            Category.SQL,
            Category.POOLING)) {
      Weft.set("weft.trace." + c, "true");
    }
    redis = EmbeddedServers.redis();
    api =
        ApiService.start(
            ApiService.Settings.defaults()
                .port(0)
                .managementUrl("jdbc:h2:mem:profiled-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .strictHeaders(true));
    api.management().putPool("redis", redis.uri(), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    Weft.resetRuntimeChanges();
    if (api != null) {
      api.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aProfiledClientSessionIsOneTraceWithEachCallsRequestsBelowItsSpan() throws Exception {
    WeftTesting.clearRecorded();
    Python.Output out =
        Python.run(
            "zaqar_profiled.py",
            List.of("--url", api.baseUri().toString(), "--hmac-key", KEY, "--queue", "profiled-q"));
    assertThat(out.exit()).as(out.stderr()).isZero();
    assertThat(out.lines()).as(out.stderr()).hasSize(1);
    JsonNode session = out.lines().get(0);
    String base = session.path("base_id").asText();

    // What the client sent: the calls and their requests, as zaqarclient v2 makes them.
    List<String> sent = new ArrayList<>();
    Set<String> spans = new LinkedHashSet<>();
    for (JsonNode call : session.path("calls")) {
      if (!call.path("span_id").isNull()) {
        spans.add(call.path("span_id").asText());
      }
      for (JsonNode r : call.path("requests")) {
        sent.add(call.path("call").asText() + " " + r.get(0).asText() + " " + r.get(1).asText());
      }
    }
    assertThat(sent)
        .hasSize(7)
        .startsWith(
            "post POST /v2/queues/profiled-q/messages",
            "list GET /v2/queues/profiled-q/messages",
            "metadata GET /v2/queues/profiled-q",
            "metadata PATCH /v2/queues/profiled-q",
            "claim POST /v2/queues/profiled-q/claims")
        .endsWith("stats GET /v2/queues/profiled-q/stats");
    // the claimed message (limit 1), deleted with its claim id
    assertThat(sent.get(5)).startsWith("claim DELETE /v2/queues/profiled-q/messages/");
    assertThat(spans).hasSize(4).doesNotContain(base);

    // The trace: exactly one entry span per request, each below its call's OSProfiler span.
    TraceTree t = WeftTesting.settled(base, spans);
    String dump = t.render(TraceTree.Span::toString);
    List<String> served = new ArrayList<>();
    for (TraceTree.Span root : t.roots()) {
      assertThat(root.name()).as(dump).isEqualTo(ENTRY);
      assertThat(root.service()).isEqualTo("queue-api");
      assertThat(root.stopEvent()).as(root.toString()).isNotNull();
    }
    for (JsonNode call : session.path("calls")) {
      String parent = call.path("span_id").isNull() ? base : call.path("span_id").asText();
      List<String> below = new ArrayList<>();
      for (TraceTree.Span root : t.roots()) {
        if (root.parentId().equals(parent)) {
          JsonNode req = root.startInfo().path("request");
          below.add(req.path("method").asText() + " " + req.path("path").asText());
          served.add(root.id());
        }
      }
      List<String> expected = new ArrayList<>();
      for (JsonNode r : call.path("requests")) {
        expected.add(r.get(0).asText() + " " + r.get(1).asText());
      }
      assertThat(below)
          .as(call.path("call").asText() + "\n" + dump)
          .containsExactlyInAnyOrderElementsOf(recorded(expected));
    }
    assertThat(served).hasSize(7).doesNotHaveDuplicates();
    assertThat(t.roots()).hasSize(7);

    // Below each entry span, the API's own work: the post's catalog lookup and storage calls.
    TraceTree.Span post =
        t.roots().stream()
            .filter(s -> s.parentId().equals(session.path("calls").get(0).path("span_id").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(post.stopInfo().path("response")).isEqualTo(json("{\"status\": 201}"));
    assertThat(post.childNames()).startsWith("catalog_lookup");
    assertThat(post.childNames()).as(dump).contains("pool_select", "redis");
    assertThat(t.names()).contains(ENTRY, "catalog_lookup", "pool_select", "redis", "hibernate");
    // Every span of the trace carries its base_id and hangs below one that is known.
    Set<String> ids = new LinkedHashSet<>();
    t.all().forEach(s -> ids.add(s.id()));
    for (TraceTree.Span s : t.all()) {
      assertThat(s.startEvent().path("base_id").asText()).isEqualTo(base);
      assertThat(
              ids.contains(s.parentId())
                  || spans.contains(s.parentId())
                  || s.parentId().equals(base))
          .as(s.toString())
          .isTrue();
    }
  }

  /** Paths as the entry spans record them: message ids (UUIDs) as {@code ?}. */
  static List<String> recorded(List<String> requests) {
    List<String> out = new ArrayList<>();
    for (String r : requests) {
      out.add(r.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "?"));
    }
    return out;
  }
}
