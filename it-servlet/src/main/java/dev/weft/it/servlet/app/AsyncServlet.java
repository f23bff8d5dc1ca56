package dev.weft.it.servlet.app;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.TraceSnapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts async processing and finishes it on another thread: a span {@code async-work} (in the
 * captured trace) sleeps {@code ?ms=} milliseconds, then writes the response and completes the
 * cycle or, with {@code ?dispatch=<path>}, dispatches the request to that path on a container
 * thread.
 */
public class AsyncServlet extends HttpServlet {
  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "async-worker");
            t.setDaemon(true);
            return t;
          });

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    long ms = Long.parseLong(req.getParameter("ms"));
    String dispatch = req.getParameter("dispatch");
    String requestThread = Thread.currentThread().getName();
    AsyncContext ac = req.startAsync();
    TraceSnapshot snap = Trace.capture();
    WORKERS.execute(
        () -> {
          try (TraceScope s = snap.restore();
              Span work = Trace.span("async-work")) {
            Thread.sleep(ms);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (dispatch != null) {
            ac.dispatch(dispatch);
            return;
          }
          try {
            ac.getResponse().setContentType("text/plain");
            ac.getResponse()
                .getWriter()
                .write(
                    "async-done;request-thread="
                        + requestThread
                        + ";worker-thread="
                        + Thread.currentThread().getName());
          } catch (IOException e) {
            // the client has gone; complete anyway
          } finally {
            ac.complete();
          }
        });
  }
}
