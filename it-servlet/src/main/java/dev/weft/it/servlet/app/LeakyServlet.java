package dev.weft.it.servlet.app;

import dev.weft.Trace;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A buggy application servlet: it makes a trace ({@code ?base=}) active on the request thread and
 * never closes it, as the Zaqar bug did. Weft must not let it reach the next request.
 */
public class LeakyServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Trace.begin(req.getParameter("base"), null, null); // deliberately not closed
    resp.setContentType("text/plain");
    resp.getWriter().write(EchoServlet.Status.line());
  }
}
