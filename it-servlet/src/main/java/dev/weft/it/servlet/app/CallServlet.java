package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls another service with the JDK HttpClient: {@code ?target=<url>}, with {@code send} or, for
 * {@code &async=1}, {@code sendAsync}. Answers with the callee's status and body.
 */
public class CallServlet extends HttpServlet {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpRequest call =
        HttpRequest.newBuilder(URI.create(req.getParameter("target")))
            .header("X-Caller", "call-servlet")
            .GET()
            .build();
    HttpResponse<String> answer;
    try {
      if ("1".equals(req.getParameter("async"))) {
        answer = CLIENT.sendAsync(call, HttpResponse.BodyHandlers.ofString()).join();
      } else {
        answer = CLIENT.send(call, HttpResponse.BodyHandlers.ofString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    resp.setStatus(answer.statusCode());
    resp.setContentType("text/plain");
    resp.getWriter().write(answer.body());
  }
}
