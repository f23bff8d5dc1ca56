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
 * service's URL is the servlet's init parameter {@code next}.
 */
public class CallingServlet extends HttpServlet {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String next = getInitParameter("next");
    int status;
    try {
      status =
          http.send(
                  HttpRequest.newBuilder(URI.create(next)).timeout(Duration.ofSeconds(20)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    resp.setStatus(status == 200 ? 200 : 502);
  }
}
