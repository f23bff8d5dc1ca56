package dev.weft.cli;

import dev.weft.cli.internal.WeftCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code weft} command line: read back the traces a collector stored.
 *
 * <pre>
 * java -jar weft-cli.jar trace list [--connection-string CS] [--error-trace]
 * java -jar weft-cli.jar trace show BASE_ID [--connection-string CS]
 *     (--json | --tree | --html | --dot | --analysis) [--out FILE]
 *     [--max-depth N] [--max-spans N] [--max-bytes N]
 * java -jar weft-cli.jar trace stats [--connection-string CS] [--since TIME] [--last N]
 *     [--service S] [--name PREFIX] [--slowest N] [--max-labels N] [--json | --html] [--out FILE]
 * java -jar weft-cli.jar trace diff A B [--connection-string CS] [--html] [--out FILE]
 * java -jar weft-cli.jar ui [--connection-string CS] [--port N] [--bind ADDR]
 * </pre>
 *
 * <p>The connection string defaults to the environment variable {@code WEFT_CONNECTION_STRING},
 * then to Weft's default {@code file://<java.io.tmpdir>/weft-traces}. Every collector whose {@link
 * dev.weft.spi.CollectorFactory} is on the class path can be read.
 *
 * <p>Exit codes: 0 done; 1 the trace was not found; 2 a bad command line, connection string, or a
 * backend that could not be read.
 */
public final class Main {
  private Main() {}

  /** A configured command line, for running {@code weft} inside another program or a test. */
  public static CommandLine commandLine() {
    return new CommandLine(new WeftCommand());
  }

  public static void main(String[] args) {
    CommandLine cl = commandLine();
    cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(cl.execute(args));
  }
}
