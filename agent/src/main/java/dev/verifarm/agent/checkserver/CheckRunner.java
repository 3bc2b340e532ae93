package dev.verifarm.agent.checkserver;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The check command, as the server runs it for a client: the command's arguments in, its output and exit status
 * out. The command line lives above this package, so the server is handed it.
 */
@FunctionalInterface
public interface CheckRunner {

    /** Runs {@code check ARGS} as if started in {@code workingDirectory}, and returns its exit status. */
    int run(List<String> args, Path workingDirectory, PrintStream out, PrintStream err);
}
