package dev.weft.it.openstack.app;

import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.headers.TraceCategories;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The last Java service of the chain: answers 204, with the categories its trace asked for itself
 * in {@code X-Leaf-Categories} ({@code -} for none, or when the request is not traced).
 */
public class LeafServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    ThreadContext c = ThreadContext.active();
    String asked = c == null ? "" : TraceCategories.names(c.categories);
    resp.setHeader("X-Leaf-Categories", asked.isEmpty() ? "-" : asked);
    resp.setStatus(204);
  }
}
