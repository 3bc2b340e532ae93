package dev.verifarm.agent.testing;

import dev.verifarm.agent.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the agent's command line in this JVM and keeps what it printed. */
public final class CheckCli {

    private CheckCli() {
    }

    /** What one run printed and returned. */
    public record Run(int exitCode, String out, String err) {
    }

    /** {@code verifarm-agent check ARGS...}. */
    public static Run run(String... args) {
        List<String> argv = new ArrayList<>(List.of("check"));
        argv.addAll(List.of(args));
        return agent(argv);
    }

    /** {@code verifarm-agent ARGV...}. */
    public static Run agent(List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
