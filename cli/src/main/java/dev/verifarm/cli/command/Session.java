package dev.verifarm.cli.command;

import dev.verifarm.cli.connect.FarmConnection;

import java.io.PrintStream;

/**
 * What a command works with: the coordinator, stdout for results, stderr for progress and messages, and whether
 * stderr is a terminal (a progress bar) or a log (plain lines).
 */
record Session(FarmConnection connection, PrintStream out, PrintStream err, boolean terminal)
        implements AutoCloseable {

    @Override
    public void close() {
        connection.close();
    }
}
