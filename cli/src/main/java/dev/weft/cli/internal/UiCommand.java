package dev.weft.cli.internal;

import dev.weft.spi.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft ui}: browse the stored traces in a web browser, served from this machine. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a local web UI over the stored traces: the trace list with filters (service,"
          + " label, minimum duration, errors only, time range) and pages of "
          + Ui.PAGE_SIZE
          + ", each trace's waterfall with its critical path and category shares, the stats page"
          + " and the diff of two traces picked in the list.",
      "",
      "The server listens on 127.0.0.1 only, unless --bind names another address; then anyone"
          + " who can reach that address can read every stored trace. It makes no request"
          + " elsewhere and its pages load nothing from the network. With a service, label or"
          + " duration filter the list reads at most the "
          + "5,000 newest traces of the time range (so does the stats page) and says so when"
          + " that cap is reached; weft trace stats reads them all.",
      "",
      "Prints the address (weft ui: http://127.0.0.1:PORT/) when it is listening; Ctrl-C stops"
          + " it.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped",
      "2:bad arguments or connection string, or the address could not be listened on"
    },
    footer = {
      "%nExamples:",
      "  weft ui --connection-string file:///var/tmp/weft-traces",
      "  weft ui --port 0"
    })
final class UiCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 8421;

  @Spec CommandSpec spec;

  @Mixin Source source = new Source();

  @Option(
      names = {"-p", "--port"},
      paramLabel = "N",
      defaultValue = "" + DEFAULT_PORT,
      description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = {
        "The address to listen on (default: 127.0.0.1). Only this option makes the server"
            + " listen on an address other machines can reach, such as 0.0.0.0; it has no"
            + " authentication, so do that only on a network you trust."
      })
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be from 0 to 65535");
    }
    PrintWriter err = spec.commandLine().getErr();
    InetAddress address;
    try {
      address = InetAddress.getByName(bind == null ? "127.0.0.1" : bind.trim());
    } catch (UnknownHostException e) {
      throw new ParameterException(
          spec.commandLine(), "--bind: unknown address '" + Text.visible(bind) + "'");
    }
    TraceReader reader;
    try {
      reader = source.open();
    } catch (Source.Failure f) {
      err.println("weft: " + f.getMessage());
      err.flush();
      return f.exitCode;
    }
    Ui ui;
    try {
      ui = Ui.start(reader, source.redacted(), address, port);
    } catch (IOException e) {
      try {
        reader.close();
      } catch (Exception ignored) {
        // already failing
      }
      err.println(
          "weft: cannot listen on "
              + address.getHostAddress()
              + ":"
              + port
              + ": "
              + Source.redact(e));
      err.flush();
      return 2;
    }
    if (!address.isLoopbackAddress()) {
      err.println(
          "weft ui: listening on "
              + address.getHostAddress()
              + ", not a loopback address: whoever can reach it can read every stored trace");
      err.flush();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(ui::close, "weft-ui-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("weft ui: " + ui.url());
    out.flush();
    ui.await();
    return 0;
  }
}
