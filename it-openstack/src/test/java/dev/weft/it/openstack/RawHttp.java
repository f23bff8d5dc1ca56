package dev.weft.it.openstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 request with exactly the header bytes given (names and values as ISO-8859-1, in
 * order, repeated names kept), so that OSProfiler's server and Weft's receive the same bytes.
 */
final class RawHttp {
  private RawHttp() {}

  record Response(int status, String body) {}

  static Response get(int port, String path, List<List<String>> headers) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append("GET ").append(path).append(" HTTP/1.1\r\n");
    req.append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (List<String> h : headers) {
      req.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return parse(readAll(s.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0) {
      throw new IllegalStateException("not an HTTP response: " + text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String head = text.substring(0, headEnd);
    String body = text.substring(headEnd + 4);
    if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = unchunk(body);
    }
    // The body's bytes (one char per byte so far) are UTF-8 JSON.
    return new Response(
        status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = body.indexOf("\r\n", i);
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }
}
