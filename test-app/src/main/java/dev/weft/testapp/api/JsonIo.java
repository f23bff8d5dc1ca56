package dev.weft.testapp.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** Reading request bodies (bounded) and writing JSON responses and errors. */
final class JsonIo {
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonIo() {}

  /**
   * The request body as JSON, or null when the body is empty. Refuses a body over {@code limit}
   * bytes with {@code tooLarge} (by Content-Length before reading, or while reading) and malformed
   * JSON with Zaqar's 400.
   */
  static JsonNode readBody(HttpServletRequest req, int limit, Supplier<ApiException> tooLarge)
      throws IOException {
    String text = readText(req, limit, tooLarge);
    if (text.isBlank()) {
      return null;
    }
    return parseBody(text);
  }

  /** Zaqar's reading of a body that must be JSON: 400 "Request body could not be parsed.". */
  static JsonNode parseBody(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badBody("Request body could not be parsed.");
    }
  }

  /** The body as text, bounded as {@link #readBody} bounds it. */
  static String readText(HttpServletRequest req, int limit, Supplier<ApiException> tooLarge)
      throws IOException {
    long declared = req.getContentLengthLong();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = req.getInputStream()) {
      if (declared > limit) {
        drain(in, chunk);
        throw tooLarge.get();
      }
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (buf.size() + n > limit) {
          drain(in, chunk);
          throw tooLarge.get();
        }
        buf.write(chunk, 0, n);
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * Reads and drops what is left of a request body (up to a bound) before an error is answered, so
   * that a client still sending gets the answer instead of a closed connection.
   */
  static void drainQuietly(HttpServletRequest req) {
    try {
      drain(req.getInputStream(), new byte[8192]);
    } catch (IOException | RuntimeException e) {
      // the body was read another way, or the connection is gone: nothing to drain
    }
  }

  /** Bodies up to this size are read to the end before a refusal, so the client gets the answer. */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  // Design note: answering without reading the body makes Jetty close the connection while the
  // client is still sending, and many clients then never see the response. Reading (and dropping)
  // a bounded remainder first keeps the refusal reliable; beyond the bound the connection is
  // closed.
  private static void drain(InputStream in, byte[] chunk) throws IOException {
    long seen = 0;
    int n;
    while (seen < DRAIN_LIMIT && (n = in.read(chunk)) > 0) {
      seen += n;
    }
  }

  /** The test-app's own bound for bodies Zaqar gives no limit of its own: 413. */
  static ApiException tooLarge(int limit) {
    return new ApiException(
        413, "Request body too large", "The request body may be at most " + limit + " bytes.");
  }

  static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    write(resp, status, body, "application/json; charset=utf-8");
  }

  static void write(HttpServletResponse resp, int status, JsonNode body, String contentType)
      throws IOException {
    resp.setStatus(status);
    if (body == null) {
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setContentType(contentType);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  static void error(HttpServletResponse resp, ApiException e) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("title", e.title());
    if (e.description() != null) {
      n.put("description", e.description());
    }
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      resp.setHeader(h.getKey(), h.getValue());
    }
    write(resp, e.status(), n);
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Parses stored JSON text back into a node (message bodies, metadata). */
  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }
}
