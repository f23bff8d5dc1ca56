package dev.weft.testapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request as a handler sees it: the path segments, the request's Client-ID (canonical UUID
 * text, or null when absent and not required) and X-Project-ID (or null), and falcon's reading of
 * query parameters.
 */
final class Call {
  private static final Set<String> TRUE = Set.of("true", "True", "t", "yes", "y", "1", "on");
  private static final Set<String> FALSE = Set.of("false", "False", "f", "no", "n", "0", "off");

  final HttpServletRequest req;
  final HttpServletResponse resp;
  final List<String> path;
  final String clientId;
  final String project;

  Call(
      HttpServletRequest req,
      HttpServletResponse resp,
      List<String> path,
      String clientId,
      String project) {
    this.req = req;
    this.resp = resp;
    this.path = path;
    this.clientId = clientId;
    this.project = project;
  }

  String seg(int i) {
    return path.get(i);
  }

  /** The project as Zaqar's messages print it ({@code None} when the request named none). */
  String projectText() {
    return project == null ? "None" : project;
  }

  /** The request path, as falcon's {@code req.path}. */
  String requestPath() {
    return req.getRequestURI();
  }

  /** A query parameter; a blank value counts as absent (falcon's keep_blank_qs_values=False). */
  String param(String name) {
    String[] v = req.getParameterValues(name);
    if (v == null) {
      return null;
    }
    for (int i = v.length - 1; i >= 0; i--) {
      if (!v[i].isEmpty()) {
        return v[i];
      }
    }
    return null;
  }

  /** falcon's {@code get_param_as_int}. */
  Integer intParam(String name) {
    String v = param(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw invalidParam(name, "The value must be an integer.");
    }
  }

  /** falcon's {@code get_param_as_bool}. */
  Boolean boolParam(String name) {
    String v = param(name);
    if (v == null) {
      return null;
    }
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw invalidParam(name, "The value of the parameter must be \"true\" or \"false\".");
  }

  boolean flag(String name) {
    Boolean b = boolParam(name);
    return b != null && b;
  }

  /** falcon's {@code get_param_as_list} with comma-separated values; null when absent. */
  List<String> listParam(String name) {
    String[] values = req.getParameterValues(name);
    if (values == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  static ApiException invalidParam(String name, String msg) {
    return new ApiException(
        400, "Invalid parameter", "The \"" + name + "\" parameter is invalid. " + msg);
  }

  /** Whether the request declares a body (Content-Length above 0, or chunked). */
  boolean hasBody() {
    long n = req.getContentLengthLong();
    return n > 0 || (n < 0 && req.getHeader("Transfer-Encoding") != null);
  }

  /**
   * The body as Zaqar's {@code deserialize} reads it: none declared: 400 "Request body can not be
   * empty"; unreadable JSON: 400 "Request body could not be parsed.".
   */
  JsonNode document(int limit) throws IOException {
    if (req.getContentLengthLong() < 0 && req.getHeader("Transfer-Encoding") == null) {
      throw ApiException.badBody("Request body can not be empty");
    }
    String text = JsonIo.readText(req, limit, () -> JsonIo.tooLarge(limit));
    return JsonIo.parseBody(text);
  }
}
