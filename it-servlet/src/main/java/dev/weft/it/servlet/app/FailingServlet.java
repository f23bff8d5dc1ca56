package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicReference;

/** Throws {@code IllegalStateException("boom")}; keeps the instance it threw. */
public class FailingServlet extends HttpServlet {
  /** The last exception thrown here. */
  public static final AtomicReference<Throwable> THROWN = new AtomicReference<>();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    IllegalStateException e = new IllegalStateException("boom");
    THROWN.set(e);
    throw e;
  }
}
