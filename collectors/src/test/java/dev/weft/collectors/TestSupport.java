package dev.weft.collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.report.ReportBuilder;
import dev.weft.spi.Event;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.embedded.RedisServer;

/** Fixtures, reports and real servers shared by the collector tests. */
final class TestSupport {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String FIXTURE_BASE_ID = "11111111-1111-1111-1111-111111111111";

  private TestSupport() {}

  static Path fixtures() {
    return Path.of(System.getProperty("weft.fixtures", "../fixtures/osprofiler"));
  }

  /** The lines of zaqar-request.events.jsonl, in the order OSProfiler emitted them. */
  static List<String> fixtureEvents() throws IOException {
    List<String> out = new ArrayList<>();
    for (String l :
        Files.readAllLines(
            fixtures().resolve("zaqar-request.events.jsonl"), StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }

  static JsonNode fixtureReport() throws IOException {
    return MAPPER.readTree(fixtures().resolve("zaqar-request.report.json").toFile());
  }

  /**
   * OSProfiler's report of the events, as a JSON tree (numbers normalised by a text round trip).
   */
  static JsonNode report(List<String> events) throws IOException {
    List<Map<String, Object>> parsed = new ArrayList<>();
    for (String e : events) {
      parsed.add(MAPPER.readValue(e, new TypeReference<Map<String, Object>>() {}));
    }
    Map<String, Object> report = new ReportBuilder().addAll(parsed).build();
    return MAPPER.readTree(MAPPER.writeValueAsString(report));
  }

  static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static RedisServer startRedis(int port) throws IOException {
    RedisServer r =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    r.start();
    return r;
  }

  /**
   * Makes a small trace through Weft's real pipeline into {@code memory://} and returns its events
   * as Weft handed them to the collector: a root span with two children, the second failing.
   */
  static List<Event> weftTrace() {
    MemoryCollector.clear();
    String base = UUID.randomUUID().toString();
    try (TraceScope t = Trace.begin(base, null, null)) {
      try (Span root = Trace.span("checkout")) {
        root.info("order", "o-17");
        try (Span s = Trace.span("reserve")) {
          s.info("sku", "tea");
        }
        try (Span s = Trace.span("charge")) {
          s.error(new IllegalStateException("card declined"));
        }
      }
    }
    Weft.flush();
    List<Event> out = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (e.baseId().equals(base)) {
        out.add(e);
      }
    }
    return out;
  }
}
