package dev.weft.testapp.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /v2/ping}: 204 while the service is up (Zaqar's ping). */
final class HealthServlet extends ApiServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setStatus(204);
  }
}
