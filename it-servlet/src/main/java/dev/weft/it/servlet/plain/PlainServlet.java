package dev.weft.it.servlet.plain;

import dev.weft.it.servlet.app.EchoServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet whose own class is not load-time woven (its package is outside the tests' aop.xml):
 * under the agent it is traced only through the container's woven {@code HttpServlet.service}.
 */
public class PlainServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain");
    resp.getWriter().write(EchoServlet.Status.line());
  }
}
