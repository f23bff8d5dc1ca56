package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the API's servlets: splits the path into segments, turns {@link ApiException}s into
 * Zaqar's JSON errors and anything unexpected into a JSON 500. The servlets override {@code
 * doGet/doPost/doPut/doDelete}, the join points of Weft's servlet entry tracing.
 */
abstract class ApiServlet extends HttpServlet {
  private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

  /** A request handler that may throw. */
  interface Handler {
    void handle(List<String> path) throws IOException;
  }

  /** The path segments after the servlet's mapping, e.g. {@code [q1, messages, id]}. */
  static List<String> segments(HttpServletRequest req) {
    String info = req.getPathInfo();
    List<String> out = new ArrayList<>();
    if (info != null) {
      for (String s : info.split("/")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  static void run(HttpServletRequest req, HttpServletResponse resp, Handler h) throws IOException {
    try {
      h.handle(segments(req));
    } catch (ApiException e) {
      JsonIo.error(resp, e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, req.getMethod() + " " + req.getRequestURI() + " failed", e);
      JsonIo.error(
          resp, new ApiException(500, "Internal server error", "The request could not be served."));
    }
  }

  static ApiException notAllowed() {
    return new ApiException(405, "Method not allowed", "This method is not allowed here.");
  }

  static ApiException noSuchPath() {
    return new ApiException(404, "Not found", "No such resource.");
  }

  static int intParam(HttpServletRequest req, String name, int dflt) {
    String v = req.getParameter(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("\"" + name + "\" must be an integer.");
    }
  }

  static JsonNode requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("The request body must be a JSON object.");
    }
    return body;
  }
}
