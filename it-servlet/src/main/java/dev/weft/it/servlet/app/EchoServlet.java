package dev.weft.it.servlet.app;

import dev.weft.Trace;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers with what the request saw: {@code traced=<base_id or ->;thread=<name>}. */
public class EchoServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain");
    resp.getWriter().write(Status.line());
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setStatus(201);
    doGet(req, resp);
  }

  /** The trace state of the current thread, as a response line. */
  public static final class Status {
    private Status() {}

    public static String line() {
      String base = Trace.baseId();
      return "traced="
          + (base == null ? "-" : base)
          + ";thread="
          + Thread.currentThread().getName();
    }
  }
}
