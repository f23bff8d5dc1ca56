package example.plain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.annotations.Traced;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The second service: prices over HTTP, on the JDK's own server. A server without a servlet
 * container joins the caller's trace with {@code Trace.beginFromHeaders}.
 */
public final class PriceService implements AutoCloseable {
  private final HttpServer server;

  public PriceService(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/prices/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String item = ex.getRequestURI().getPath().substring("/prices/".length());
    String body;
    try (TraceScope scope =
        Trace.beginFromHeaders(
            ex.getRequestHeaders().getFirst(TraceHeaders.X_TRACE_INFO),
            ex.getRequestHeaders().getFirst(TraceHeaders.X_TRACE_HMAC),
            ex.getRequestHeaders().getFirst(TraceHeaders.TRACEPARENT))) {
      body = Long.toString(price(item));
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Traced(name = "price_lookup")
  long price(String item) {
    return 100L + item.length();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
