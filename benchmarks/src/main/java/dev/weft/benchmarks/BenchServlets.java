package dev.weft.benchmarks;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The two servlets {@link ServletOverhead} compares: same answer, one woven, one not. */
final class BenchServlets {
  private BenchServlets() {}

  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  /** The body both servlets run: a 200 with a two-byte text body. */
  static void answer(HttpServletResponse resp) throws IOException {
    resp.setStatus(200);
    resp.setContentType("text/plain");
    resp.setContentLength(OK.length);
    resp.getOutputStream().write(OK);
  }

  /**
   * Compiled by ajc with weft-aspects: its {@code doGet} is a {@code HttpServlet+.do*} join point,
   * so the servlet aspect's advice runs around it (the application-servlet case of compile-time
   * weaving).
   */
  static final class Woven extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      answer(resp);
    }
  }

  /**
   * The unwoven twin. It overrides the generic {@code service(ServletRequest, ServletResponse)},
   * which no servlet pointcut names (they take {@code HttpServletRequest}/{@code
   * HttpServletResponse}), so ajc leaves it alone, and the container's own {@code HttpServlet} is
   * not woven either (no agent). It skips HttpServlet's dispatch on the method name, a few
   * nanoseconds against a request's tens of microseconds.
   */
  static final class Plain extends HttpServlet {
    @Override
    public void service(ServletRequest req, ServletResponse res) throws IOException {
      answer((HttpServletResponse) res);
    }
  }
}
