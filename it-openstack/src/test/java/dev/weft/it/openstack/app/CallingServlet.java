package dev.weft.it.openstack.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Java service that calls the next one with the JDK HttpClient: its call site is woven (this
 * package's aop.xml), so the call is an {@code http} span and carries the trace headers. The next
 * service's URL is the servlet's init parameter {@code next}, called with this request's query
 * string; the next service's answer is passed back.
 */
public class CallingServlet extends HttpServlet {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String next = getInitParameter("next");
    if (req.getQueryString() != null) {
      next += "?" + req.getQueryString();
    }
    HttpResponse<String> answer;
    try {
      answer =
          http.send(
              HttpRequest.newBuilder(URI.create(next)).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    resp.setStatus(answer.statusCode() == 200 ? 200 : 502);
    resp.getWriter().write(answer.body());
  }
}
