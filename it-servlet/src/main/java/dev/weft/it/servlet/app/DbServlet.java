package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Runs one SQL statement on an in-memory H2 database ({@code SELECT CAST(? AS INT) + 1} with {@code
 * ?n=}), then, with {@code &target=<url>}, calls that service with the JDK HttpClient. Answers
 * {@code db=<n + 1>;categories=<the X-Weft-Trace-Categories header it got>;traced=<base_id or
 * ->;thread=<name>;categories_hmac=<the X-Weft-Trace-Categories-HMAC header it got>}, followed by
 * the callee's answer on the next line. Its JDBC calls are traced through a concrete {@code
 * JdbcAspect} in the tests' aop.xml (load time only).
 */
public class DbServlet extends HttpServlet {
  static final String URL = "jdbc:h2:mem:weft-it-servlet;DB_CLOSE_DELAY=-1";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    int n = Integer.parseInt(req.getParameter("n"));
    int result;
    try (Connection c = DriverManager.getConnection(URL, "sa", "");
        PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS INT) + 1")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        result = rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IOException(e);
    }
    StringBuilder body =
        new StringBuilder()
            .append("db=")
            .append(result)
            .append(";categories=")
            .append(req.getHeader("X-Weft-Trace-Categories"))
            .append(';')
            .append(EchoServlet.Status.line())
            .append(";categories_hmac=")
            .append(req.getHeader("X-Weft-Trace-Categories-HMAC"));
    String target = req.getParameter("target");
    if (target != null) {
      try {
        HttpResponse<String> answer =
            CLIENT.send(
                HttpRequest.newBuilder(URI.create(target)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        body.append('\n').append(answer.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    resp.setContentType("text/plain");
    resp.getWriter().write(body.toString());
  }
}
