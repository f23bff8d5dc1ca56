package dev.weft.cli.internal;

import picocli.CommandLine.Command;

/** {@code weft trace}: the trace subcommands. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Show or list stored traces.",
    subcommands = {ShowCommand.class, ListCommand.class})
final class TraceCommand {}
