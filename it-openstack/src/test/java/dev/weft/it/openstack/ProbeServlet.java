package dev.weft.it.openstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Weft side's probe: a plain servlet, traced through the container's woven {@code
 * HttpServlet.service} (the servlet integration's aop.xml). It answers what Weft decided, read from
 * inside the request: whether a trace is active, its base_id, and the headers an outgoing call
 * would carry (which tell the key that authorised the trace). The parent is read from the stored
 * servlet span.
 */
public class ProbeServlet extends HttpServlet {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("traced", Trace.active());
    if (Trace.active()) {
      body.put("base_id", Trace.baseId());
      body.put("outgoing", TraceHeaders.outgoing());
    }
    byte[] out = JSON.writeValueAsBytes(body);
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setContentLength(out.length);
    resp.getOutputStream().write(out);
  }
}
