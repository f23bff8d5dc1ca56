package dev.weft.cli.internal;

import dev.weft.spi.ConnectionStrings;
import dev.weft.spi.TraceReader;
import picocli.CommandLine.Option;

/** The {@code --connection-string} option shared by the trace subcommands. */
final class Source {
  static final String ENV = "WEFT_CONNECTION_STRING";

  @Option(
      names = {"-c", "--connection-string"},
      paramLabel = "CS",
      description = {
        "Where traces are stored: file://DIR, redis://[:pw@]host:port[/db], mongodb://...,"
            + " memory://.",
        "Default: env " + ENV + ", else file://<java.io.tmpdir>/weft-traces."
      })
  String connectionString;

  /** The connection string in force. */
  String effective() {
    if (connectionString != null && !connectionString.isBlank()) {
      return connectionString.trim();
    }
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? env.trim() : ConnectionStrings.defaultValue();
  }

  /** The connection string for messages, any password replaced. */
  String redacted() {
    return ConnectionStrings.redact(effective());
  }

  /**
   * Opens the reader.
   *
   * @throws Failure with exit code 2 when the connection string is not usable
   */
  TraceReader open() {
    String cs = effective();
    try {
      return dev.weft.Weft.reader(cs);
    } catch (IllegalArgumentException e) {
      throw new Failure(2, "bad connection string: " + redact(e));
    } catch (Exception e) {
      throw new Failure(2, "cannot open " + ConnectionStrings.redact(cs) + ": " + redact(e));
    }
  }

  /** An exception's message, with anything shaped like a password in a URL replaced. */
  static String redact(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : ConnectionStrings.redact(m);
  }

  /** A failure to report on stderr as {@code weft: <message>} with an exit code. */
  static final class Failure extends RuntimeException {
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }
}
