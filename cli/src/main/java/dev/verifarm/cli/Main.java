package dev.verifarm.cli;

import dev.verifarm.cli.command.Verifarm;
import dev.verifarm.cli.exit.CliException;
import dev.verifarm.cli.exit.ExitStatus;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * The {@code verifarm} command line: every error is one line {@code verifarm COMMAND: what was wrong} on stderr;
 * a command line picocli cannot parse adds where the help is. Exit status 0 when every expectation matched (or
 * the command did what it was asked), 1 when a verification failed, 2 for bad usage, an unreachable or refusing
 * coordinator, or a job that could not be verified.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err, System.getenv(), System.console() != null);
        System.out.flush();
        System.exit(status);
    }

    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        CommandLine verifarm = new CommandLine(new Verifarm(env, out, err, terminal));
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().name("completion");
        verifarm.addSubcommand(completion);
        PrintWriter errors = new PrintWriter(err, true, Charset.defaultCharset());
        verifarm.setOut(new PrintWriter(out, true, Charset.defaultCharset())).setErr(errors)
                .setParameterExceptionHandler((e, given) -> usageError(e, errors))
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    if (e instanceof CliException failure) {
                        errors.println(prefix(command.getCommandSpec()) + failure.getMessage());
                        return failure.exitStatus();
                    }
                    errors.println(prefix(command.getCommandSpec()) + "failed unexpectedly: " + e);
                    e.printStackTrace(errors);
                    return ExitStatus.ERROR;
                });
        return verifarm.execute(args.toArray(String[]::new));
    }

    private static int usageError(ParameterException e, PrintWriter err) {
        CommandSpec command = e.getCommandLine().getCommandSpec();
        err.println(prefix(command) + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see '" + command.qualifiedName() + " --help'");
        return ExitStatus.ERROR;
    }

    /** {@code verifarm nightly: } also for {@code verifarm nightly report}: the command as its user named it first. */
    private static String prefix(CommandSpec command) {
        CommandSpec first = command;
        while (first.parent() != null && first.parent().parent() != null) {
            first = first.parent();
        }
        return first.parent() == null ? first.name() + ": " : first.parent().name() + " " + first.name() + ": ";
    }
}
