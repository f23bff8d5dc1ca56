package dev.weft.cli.internal;

import picocli.CommandLine.Command;

/** {@code weft trace}: the trace subcommands. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Show, list, summarise or compare stored traces.",
    subcommands = {ShowCommand.class, ListCommand.class, StatsCommand.class, DiffCommand.class})
final class TraceCommand {}
