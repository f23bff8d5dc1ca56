package dev.weft.testapp.api;

import java.util.List;

/** Every path no resource serves: falcon's 404 {@code {"title": "404 Not Found"}}. */
final class NotFoundServlet extends ApiServlet {
  NotFoundServlet(ApiService.Settings settings) {
    super(settings);
  }

  @Override
  Resource route(List<String> path) {
    return null;
  }
}
