package dev.weft.testapp.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code GET /v2/}: Zaqar 15's JSON home document of the v2 API, with the admin resources (pools,
 * flavors, health) the service serves, as {@code application/json-home}.
 */
final class HomeServlet extends ApiServlet {
  private final byte[] document;

  HomeServlet(ApiService.Settings settings) {
    super(settings);
    try (InputStream in = HomeServlet.class.getResourceAsStream("homedoc.json")) {
      if (in == null) {
        throw new IllegalStateException("homedoc.json is missing");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  Resource route(List<String> path) {
    return path.isEmpty() ? new Resource().on("GET", this::home) : null;
  }

  private void home(Call c) throws IOException {
    c.resp.setStatus(200);
    c.resp.setContentType("application/json-home");
    c.resp.setHeader("Cache-Control", "max-age=86400");
    c.resp.setContentLength(document.length);
    c.resp.getOutputStream().write(document);
  }
}
