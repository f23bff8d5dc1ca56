package dev.weft.it.servlet.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Includes {@code /echo} and {@code /work} in its own response. */
public class IncludeServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws ServletException, IOException {
    resp.setContentType("text/plain");
    req.getRequestDispatcher("/echo").include(req, resp);
    resp.getWriter().write("|");
    req.getRequestDispatcher("/work").include(req, resp);
  }
}
