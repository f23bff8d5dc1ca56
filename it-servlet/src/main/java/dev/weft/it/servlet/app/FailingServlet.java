package dev.weft.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throws {@code IllegalStateException("boom")}, or with {@code ?hostile=1} an exception whose
 * {@code getMessage()} throws; keeps the instance it threw.
 */
public class FailingServlet extends HttpServlet {
  /** An application exception that breaks whoever reads its message. */
  public static final class HostileException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() refuses");
    }

    @Override
    public String toString() {
      return "HostileException";
    }
  }

  /** The last exception thrown here. */
  public static final AtomicReference<Throwable> THROWN = new AtomicReference<>();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    RuntimeException e =
        req.getParameter("hostile") != null
            ? new HostileException()
            : new IllegalStateException("boom");
    THROWN.set(e);
    throw e;
  }
}
