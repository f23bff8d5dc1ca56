package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sample.Caller;

/**
 * An outgoing call is recorded as OSProfiler's {@code requests} tracing records one: the span is
 * named after the URL's scheme, its start info holds {@code method, query, path, hostname, port,
 * scheme} in that order (the port 80/443 by scheme when the URL has none, the hostname as urlparse
 * gives it), its stop info {@code status_code}.
 */
class RequestsShapeTest {
  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.host", "shape-host");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  /** A client that answers every request with {@code status}, without a network. */
  static final class StubClient extends HttpClient {
    final int status;

    StubClient(int status) {
      this.status = status;
    }

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
    public <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> h) {
      return response(req);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest req, HttpResponse.BodyHandler<T> h) {
      return CompletableFuture.completedFuture(response(req));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest req, HttpResponse.BodyHandler<T> h, HttpResponse.PushPromiseHandler<T> p) {
      return sendAsync(req, h);
    }

    private <T> HttpResponse<T> response(HttpRequest req) {
      return new HttpResponse<T>() {
        @Override
        public int statusCode() {
          return status;
        }

        @Override
        public HttpRequest request() {
          return req;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
          return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
          return HttpHeaders.of(Map.of(), (n, v) -> true);
        }

        @Override
        public T body() {
          return null;
        }

        @Override
        public Optional<SSLSession> sslSession() {
          return Optional.empty();
        }

        @Override
        public URI uri() {
          return req.uri();
        }

        @Override
        public Version version() {
          return Version.HTTP_1_1;
        }
      };
    }
  }

  interface Call {
    void run() throws Exception;
  }

  /** The events of one traced call, each as {@code name info}. */
  private static List<String> recorded(String base, Call call) throws Exception {
    MemoryCollector.clear();
    try (TraceScope t = Trace.begin(base, null, "k")) {
      call.run();
    }
    Weft.flush();
    return MemoryCollector.events().stream()
        .filter(e -> e.baseId().equals(base))
        .map(
            e ->
                e.name()
                    + " "
                    + e.json()
                        .substring(
                            e.json().indexOf("\"info\": "), e.json().indexOf(", \"project\": ")))
        .toList();
  }

  @Test
  void anHttpsCallWithoutAPort_isNamedHttps_onPort443() throws Exception {
    HttpClient c = new StubClient(201);
    URI uri = URI.create("https://Queue.Example/v2/queues/q1/messages?token=abc");
    assertThat(recorded("shape-https", () -> Caller.get(c, uri)))
        .containsExactly(
            "https-start \"info\": {\"requests\": {\"method\": \"GET\", \"query\": \"token=?\","
                + " \"path\": \"/v2/queues/q1/messages\", \"hostname\": \"queue.example\","
                + " \"port\": 443, \"scheme\": \"https\"}, \"host\": \"shape-host\"}",
            "https-stop \"info\": {\"requests\": {\"status_code\": 201}, \"host\":"
                + " \"shape-host\"}");
  }

  @Test
  void anHttpCallWithoutAPort_isNamedHttp_onPort80_evenAsync() throws Exception {
    HttpClient c = new StubClient(204);
    URI uri = URI.create("HTTP://[::1]/notify");
    assertThat(recorded("shape-http", () -> Caller.getAsync(c, uri)))
        .containsExactly(
            "http-start \"info\": {\"requests\": {\"method\": \"GET\", \"query\": \"\","
                + " \"path\": \"/notify\", \"hostname\": \"::1\", \"port\": 80, \"scheme\":"
                + " \"http\"}, \"host\": \"shape-host\"}",
            "http-stop \"info\": {\"requests\": {\"status_code\": 204}, \"host\":"
                + " \"shape-host\"}");
  }

  @Test
  void anExplicitPortIsKept() throws Exception {
    HttpClient c = new StubClient(200);
    URI uri = URI.create("https://127.0.0.1:8443/");
    assertThat(recorded("shape-port", () -> Caller.get(c, uri)))
        .first()
        .isEqualTo(
            "https-start \"info\": {\"requests\": {\"method\": \"GET\", \"query\": \"\","
                + " \"path\": \"/\", \"hostname\": \"127.0.0.1\", \"port\": 8443, \"scheme\":"
                + " \"https\"}, \"host\": \"shape-host\"}");
  }
}
