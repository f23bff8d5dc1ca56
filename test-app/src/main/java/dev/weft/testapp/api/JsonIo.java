package dev.weft.testapp.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading request bodies (bounded) and writing JSON responses and errors. */
final class JsonIo {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonIo() {}

  /**
   * The request body as JSON, or null when the body is empty. Refuses a body over {@code limit}
   * bytes with 413 (by Content-Length before reading, or while reading) and malformed JSON with
   * 400.
   */
  static JsonNode readBody(HttpServletRequest req, int limit) throws IOException {
    long declared = req.getContentLengthLong();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = req.getInputStream()) {
      if (declared > limit) {
        drain(in, chunk);
        throw tooLarge(limit);
      }
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (buf.size() + n > limit) {
          drain(in, chunk);
          throw tooLarge(limit);
        }
        buf.write(chunk, 0, n);
      }
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Malformed JSON: " + e.getOriginalMessage());
    }
  }

  /** Bodies up to this size are read to the end before a 413, so the client gets the answer. */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  // Design note: answering 413 without reading the body makes Jetty close the connection while the
  // client is still sending, and many clients then never see the response. Reading (and dropping)
  // a bounded remainder first keeps the 413 reliable; beyond the bound the connection is closed.
  private static void drain(InputStream in, byte[] chunk) throws IOException {
    long seen = 0;
    int n;
    while (seen < DRAIN_LIMIT && (n = in.read(chunk)) > 0) {
      seen += n;
    }
  }

  private static ApiException tooLarge(int limit) {
    return new ApiException(
        413, "Request body too large", "The request body may be at most " + limit + " bytes.");
  }

  static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    resp.setStatus(status);
    if (body == null) {
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setContentType("application/json; charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  static void error(HttpServletResponse resp, ApiException e) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("title", e.title());
    n.put("description", e.getMessage());
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
