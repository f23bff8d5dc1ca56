package dev.weft.testapp.api;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the API's servlets, in the part Zaqar's WSGI driver and falcon play: routes a path to a
 * resource ({@link #route}; none: falcon's 404), runs Zaqar's request hooks (pre-signed URL,
 * form-encoded bodies, Client-ID, X-Project-ID, the queue name), dispatches by method (none:
 * falcon's 405 with {@code Allow}), and turns {@link ApiException}s into Zaqar's JSON errors and
 * anything unexpected into a JSON 500. The servlets' {@code doGet/doPost/doPut/doDelete/doHead} and
 * {@code doPatch} (which {@link #service} routes PATCH to) are the join points of Weft's servlet
 * entry tracing.
 */
abstract class ApiServlet extends HttpServlet {
  private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

  /** falcon's order of methods in an {@code Allow} header. */
  private static final List<String> METHOD_ORDER =
      List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");

  /** A request handler that may throw. */
  interface Handler {
    void handle(Call c) throws IOException;
  }

  /** A resource: its handlers by HTTP method. */
  static final class Resource {
    final Map<String, Handler> methods = new LinkedHashMap<>();

    Resource on(String method, Handler h) {
      methods.put(method, h);
      return this;
    }

    String allow() {
      List<String> out = new ArrayList<>();
      for (String m : METHOD_ORDER) {
        if (methods.containsKey(m) && !m.equals("OPTIONS")) {
          out.add(m);
        }
      }
      out.add("OPTIONS");
      return String.join(", ", out);
    }
  }

  final ApiService.Settings settings;

  ApiServlet(ApiService.Settings settings) {
    this.settings = settings;
  }

  /** The resource at {@code path} (the segments after the servlet's mapping), or null. */
  abstract Resource route(List<String> path);

  /** The queue name the path carries, or null (validated by Zaqar's queue identification hook). */
  String queueOf(List<String> path) {
    return null;
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

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp)
      throws ServletException, IOException {
    if ("PATCH".equals(req.getMethod())) {
      doPatch(req, resp);
    } else {
      super.service(req, resp);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  @Override
  protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  @Override
  protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  @Override
  protected void doOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  /** PATCH, which {@link HttpServlet} does not dispatch itself. */
  protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    dispatch(req, resp);
  }

  private void dispatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      List<String> path = segments(req);
      Resource r = route(path);
      if (r == null) {
        throw ApiException.noRoute();
      }
      Call c = Hooks.before(req, resp, path, queueOf(path), settings);
      String method = req.getMethod().toUpperCase(Locale.ROOT);
      Handler h = r.methods.get(method);
      if (h == null && method.equals("OPTIONS")) {
        resp.setHeader("Allow", r.allow());
        resp.setStatus(200);
        return;
      }
      if (h == null) {
        throw ApiException.notAllowed(r.allow());
      }
      h.handle(c);
    } catch (ApiException e) {
      JsonIo.drainQuietly(req);
      JsonIo.error(resp, e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, req.getMethod() + " " + req.getRequestURI() + " failed", e);
      JsonIo.drainQuietly(req);
      JsonIo.error(
          resp, new ApiException(500, "Internal server error", "The request could not be served."));
    }
  }
}
