package dev.weft;

import java.io.PrintStream;

/**
 * Client-side profiling, as OpenStack clients do for {@code --profile KEY}: starts a root trace
 * with a random base_id (whose parent is the base_id itself), so every request the client sends
 * while it is open is signed with the key and joins the trace; on close, tells the user how to see
 * the trace.
 *
 * <pre>{@code
 * try (Profile p = Profile.start(hmacKey)) {   // on close, prints to System.err:
 *   client.send(request, handler);             //   Trace ID: <base_id>
 * }                                            //   Display trace with command: weft trace show --html <base_id>
 * }</pre>
 *
 * <p>The requests carry the trace when they are made with the JDK {@code HttpClient} from woven
 * code; for any other client add {@link TraceHeaders#outgoing()} to each request.
 */
public final class Profile implements AutoCloseable {
  private final TraceScope scope;
  private final PrintStream err;
  private boolean closed;

  private Profile(TraceScope scope, PrintStream err) {
    this.scope = scope;
    this.err = err;
  }

  /** Starts profiling on this thread; the trace ids are printed on {@code System.err} on close. */
  public static Profile start(String hmacKey) {
    return start(hmacKey, System.err);
  }

  /**
   * Starts profiling on this thread, printing the trace ids on {@code err} on close.
   *
   * @throws IllegalArgumentException when the key is null or empty
   */
  public static Profile start(String hmacKey, PrintStream err) {
    return new Profile(Trace.beginClient(hmacKey), err);
  }

  /** The trace's base_id. */
  public String baseId() {
    return scope.baseId();
  }

  /**
   * The two lines printed on close: {@code Trace ID: <base_id>} and {@code Display trace with
   * command: weft trace show --html <base_id>}.
   */
  public String message() {
    return message(baseId());
  }

  /** The message printed for a trace; see {@link #message()}. */
  public static String message(String baseId) {
    return "Trace ID: "
        + baseId
        + System.lineSeparator()
        + "Display trace with command: weft trace show --html "
        + baseId
        + System.lineSeparator();
  }

  /** Ends the client's trace on this thread and prints the trace ids. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scope.close();
    if (err != null) {
      err.print(message());
      err.flush();
    }
  }
}
