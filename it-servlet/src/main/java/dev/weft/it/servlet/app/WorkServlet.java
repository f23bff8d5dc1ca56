package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Runs {@link Worker#compute} on {@code ?n=} and answers with the result and the trace state. */
public class WorkServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String result = new Worker().compute(req.getParameter("n"));
    resp.setContentType("text/plain");
    resp.getWriter().write(result + ";" + EchoServlet.Status.line());
  }
}
