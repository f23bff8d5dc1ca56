package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers with the trace headers and {@code X-Caller} it received, one per line. */
public class HeadersServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain");
    StringBuilder sb = new StringBuilder();
    for (String h : new String[] {"X-Trace-Info", "X-Trace-HMAC", "traceparent", "X-Caller"}) {
      sb.append(h).append('=').append(req.getHeader(h)).append('\n');
    }
    resp.getWriter().write(sb.toString());
  }
}
