package dev.verifarm.agent.cli;

import dev.verifarm.agent.checkserver.CheckServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code check-server --socket PATH [--idle-timeout SECONDS]}: the resident JVM bin/verifarm-check's client
 * starts and talks to (docs/checks.md); it runs only the {@code check} command, as {@code check} would run here.
 */
@Command(name = "check-server", description = "Run checks for bin/verifarm-check's client on a Unix socket, until"
        + " idle, until the jar changes.")
final class CheckServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--socket", required = true, paramLabel = "PATH",
            description = "the socket, in a directory only this user may enter (made 0700 if missing)")
    private Path socket;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "stop after this long without a request (default: ${DEFAULT-VALUE})")
    private long idleSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (idleSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout takes a positive number of seconds, not '"
                    + idleSeconds + "'");
        }
        try {
            return CheckServer.serve(socket, Duration.ofSeconds(idleSeconds), CheckServerCommand::check, System.err);
        } catch (IOException e) {
            System.err.println("verifarm-agent check-server: " + e.getMessage());
            return Main.ERROR;
        }
    }

    private static int check(List<String> args, Path workingDirectory, PrintStream out, PrintStream err) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add("check");
        argv.addAll(args);
        return Main.run(argv, workingDirectory, out, err);
    }
}
