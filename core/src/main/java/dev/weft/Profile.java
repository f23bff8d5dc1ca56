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
 *
 * <p>A deep trace: {@code Profile.start(hmacKey, "sql", "redis")} also records those categories for
 * this trace only, in this process and in every Weft service its requests reach, even where they
 * are switched off (see {@link Trace#beginClient(String, String...)}).
 */
public final class Profile implements AutoCloseable {
  private final TraceScope scope;
  private final java.util.function.Consumer<String> err;
  private boolean closed;

  private Profile(TraceScope scope, java.util.function.Consumer<String> err) {
    this.scope = scope;
    this.err = err;
  }

  /** Prints to a stream or writer, flushing each text; a null one prints nothing. */
  private static <T extends Appendable & java.io.Flushable> java.util.function.Consumer<String> to(
      T err) {
    return text -> {
      if (err == null) {
        return;
      }
      try {
        err.append(text);
        err.flush();
      } catch (java.io.IOException e) {
        // a closed stream: nothing to tell
      }
    };
  }

  /** As {@link #start(String, PrintStream)}, printing on a writer. */
  public static Profile start(String hmacKey, java.io.PrintWriter err) {
    return start(hmacKey, to(err), 0);
  }

  /**
   * As {@link #start(String, PrintStream, String...)}, printing on a writer.
   *
   * @throws IllegalArgumentException for a name that is not a category a trace can ask for
   */
  public static Profile start(String hmacKey, java.io.PrintWriter err, String... categories) {
    return start(hmacKey, to(err), dev.weft.internal.headers.TraceCategories.of(categories));
  }

  /**
   * Starts profiling on this thread, the trace asking for {@code categories} for itself ({@code
   * sql}, {@code redis}, {@code mongodb}, ...); the trace ids are printed on {@code System.err} on
   * close.
   *
   * @throws IllegalArgumentException for a name that is not a category a trace can ask for
   */
  public static Profile start(String hmacKey, String... categories) {
    return start(hmacKey, System.err, categories);
  }

  /**
   * As {@link #start(String, PrintStream)}, the trace asking for {@code categories} for itself:
   * they are recorded for this trace, here and in every Weft service its requests reach, even where
   * they are switched off for the process ({@link Trace#beginClient(String, String...)}).
   *
   * @throws IllegalArgumentException for a name that is not a category a trace can ask for
   */
  public static Profile start(String hmacKey, PrintStream err, String... categories) {
    return start(hmacKey, to(err), dev.weft.internal.headers.TraceCategories.of(categories));
  }

  /** Starts profiling on this thread; the trace ids are printed on {@code System.err} on close. */
  public static Profile start(String hmacKey) {
    return start(hmacKey, System.err);
  }

  /**
   * Starts profiling with the first key of {@code weft.hmac_keys}, printing on {@code System.err}.
   */
  public static Profile start() {
    java.util.List<String> keys = dev.weft.internal.WeftRuntime.hmacKeys();
    return start(keys.isEmpty() ? null : keys.get(0), System.err);
  }

  /**
   * Starts profiling on this thread, printing the trace ids on {@code err} on close.
   *
   * <p>When nothing would be traced, it says so on {@code err} at once (what to set) and returns a
   * profile that is not {@link #active()}, prints no trace id and signs nothing: when tracing is
   * disabled in this process ({@code weft.enabled} is not true), or when no key is given.
   */
  public static Profile start(String hmacKey, PrintStream err) {
    return start(hmacKey, to(err), 0);
  }

  private static Profile start(
      String hmacKey, java.util.function.Consumer<String> err, int categories) {
    String off = null;
    if (!Weft.enabled()) {
      off =
          "weft: profiling is off: tracing is disabled in this process;"
              + " set weft.enabled=true (-Dweft.enabled=true or WEFT_ENABLED=true) to profile";
    } else if (hmacKey == null || hmacKey.isBlank()) {
      off =
          "weft: profiling is off: no HMAC key; pass the key the services accept"
              + " (one of their weft.hmac_keys), or set weft.hmac_keys here";
    }
    if (off != null) {
      err.accept(off + System.lineSeparator());
      return new Profile(null, err);
    }
    TraceScope scope = Trace.beginClient(hmacKey);
    if (categories != 0) {
      dev.weft.internal.context.ThreadContext.forThread().request(categories);
    }
    return new Profile(scope, err);
  }

  /** Whether requests made now are profiled (false when tracing is off or no key was given). */
  public boolean active() {
    return scope != null;
  }

  /** The trace's base_id, or null when this profile is not {@link #active()}. */
  public String baseId() {
    return scope == null ? null : scope.baseId();
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
    if (scope == null) {
      return;
    }
    scope.close();
    err.accept(message());
  }
}
