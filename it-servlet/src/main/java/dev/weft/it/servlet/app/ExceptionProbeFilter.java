package dev.weft.it.servlet.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The outermost filter: what the container would receive. Every exception that leaves the filter
 * chain is kept in {@link #SEEN} and rethrown as is.
 */
public class ExceptionProbeFilter implements Filter {
  public static final Queue<Throwable> SEEN = new ConcurrentLinkedQueue<>();

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(req, resp);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      SEEN.add(e);
      throw e;
    }
  }
}
