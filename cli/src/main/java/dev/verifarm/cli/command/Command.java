package dev.verifarm.cli.command;

import dev.verifarm.cli.Args;

import java.util.Set;

/** One subcommand: its usage, the options it takes, and what it does; it returns the exit status. */
public interface Command {
    String name();

    /** The line of {@code verifarm help} for it. */
    String usage();

    /** Options that take a value (besides the global --coordinator and --tls-ca). */
    default Set<String> options() {
        return Set.of();
    }

    default Set<String> flags() {
        return Set.of();
    }

    int run(Args args, Session session);
}
