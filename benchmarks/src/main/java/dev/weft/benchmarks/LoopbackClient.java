package dev.weft.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The JDK {@link HttpClient} the HTTP benchmarks drive their servers with: HTTP/1.1 over loopback,
 * one keep-alive connection, one request at a time.
 *
 * <p>The client's {@code send} is called through a method reference on purpose. The benchmark
 * classes are woven by ajc, and a direct {@code client.send(..)} call site would get Weft's
 * outgoing-HTTP advice (a {@code call()} join point in woven code), which would then be measured on
 * the client side of every row. A method reference compiles to an {@code invokedynamic} that the
 * weaver leaves alone, so the client costs the same in every row and the difference between rows is
 * the server's.
 */
final class LoopbackClient {
  /** {@link HttpClient#send}, reached without a woven call site. */
  @FunctionalInterface
  interface Sender {
    HttpResponse<String> send(HttpRequest request, HttpResponse.BodyHandler<String> handler)
        throws IOException, InterruptedException;
  }

  private final HttpClient client;
  private final Sender sender;

  LoopbackClient() {
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    sender = client::send;
  }

  /** A request built once and sent by every operation. */
  static HttpRequest request(String method, URI uri, Map<String, String> headers, String jsonBody) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  /** Sends {@code request}; fails unless the answer has {@code expectedStatus}. */
  String send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
    HttpResponse<String> r = sender.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expectedStatus) {
      throw new IllegalStateException(
          request.method() + " " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
