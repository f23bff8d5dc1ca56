package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import sample.Hostile;
import sample.Hostile.HostileException;

/**
 * An exception whose {@code getMessage()} and {@code toString()} throw passes through every advice
 * unchanged, the very same object, and the span still records its type.
 */
class HostileExceptionTest {
  static final HostileException HOSTILE = new HostileException();
  static final Hostile.MessageHostileException HOSTILE_ASYNC =
      new Hostile.MessageHostileException();

  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "test-host");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  /** An HttpClient whose every call fails with the hostile exception. */
  static final class FailingClient extends HttpClient {
    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> h)
        throws IOException, InterruptedException {
      throw HOSTILE;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest req, HttpResponse.BodyHandler<T> h) {
      throw HOSTILE;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest req, HttpResponse.BodyHandler<T> h, HttpResponse.PushPromiseHandler<T> p) {
      throw HOSTILE;
    }
  }

  private static void same(Executable call) {
    HostileException seen = assertThrows(HostileException.class, call);
    assertSame(HOSTILE, seen);
  }

  @Test
  void theApplicationsExceptionArrivesUnchanged_fromEveryAdvice() throws Exception {
    Weft.flush();
    MemoryCollector.clear();
    Hostile h = new Hostile(HOSTILE, HOSTILE_ASYNC);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (TraceScope t = Trace.begin("base-hostile", null, "k")) {
      same(h::object);
      same(h::primitiveLong);
      same(h::primitiveInt);
      same(h::primitiveBoolean);
      same(() -> h.capturing("x"));
      same(() -> h.httpSend(new FailingClient()));
      same(() -> h.httpSendAsync(new FailingClient()));
      ExecutionException viaPool =
          assertThrows(ExecutionException.class, () -> h.submit(pool).get());
      assertSame(HOSTILE_ASYNC, viaPool.getCause());
      ExecutionException viaStage =
          assertThrows(ExecutionException.class, () -> h.supplyAsync().get());
      assertSame(HOSTILE_ASYNC, viaStage.getCause());
    } finally {
      pool.shutdownNow();
    }
    assertThat(Trace.active()).isFalse();
    Weft.flush();
    Map<String, List<String>> stops =
        MemoryCollector.events().stream()
            .filter(e -> e.baseId().equals("base-hostile") && e.name().endsWith("-stop"))
            .collect(
                Collectors.groupingBy(
                    e -> e.name(),
                    java.util.TreeMap::new,
                    Collectors.mapping(e -> e.json(), Collectors.toList())));
    assertThat(stops.keySet())
        .containsExactly(
            "Hostile.capturing-stop",
            "Hostile.object-stop",
            "Hostile.primitiveBoolean-stop",
            "Hostile.primitiveInt-stop",
            "Hostile.primitiveLong-stop",
            "http-stop");
    assertThat(stops.get("http-stop")).hasSize(2);
    for (List<String> events : stops.values()) {
      for (String json : events) {
        assertThat(json).contains("\"etype\": \"HostileException\", \"message\": \"\"");
      }
    }
  }
}
