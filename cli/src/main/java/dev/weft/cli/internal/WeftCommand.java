package dev.weft.cli.internal;

import picocli.CommandLine.Command;

/** The top-level {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = WeftCommand.Version.class,
    description = "Weft: read back the request traces that Weft (or OSProfiler) stored.",
    subcommands = {TraceCommand.class, UiCommand.class})
public final class WeftCommand {
  /** The version from the runnable jar's manifest. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = WeftCommand.class.getPackage().getImplementationVersion();
      return new String[] {"weft " + (v == null ? "(development build)" : v)};
    }
  }
}
