package dev.verifarm.agent.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The agent jar's entry point, {@code verifarm-agent COMMAND}: {@code check} runs the engine on one file,
 * {@code run} serves a farm, {@code self-check} proves this host with the known-answer checks. Errors read as the {@code verifarm} command line's do: one line {@code
 * verifarm-agent COMMAND: what was wrong}, then where the help is; bad usage exits 2.
 */
@Command(name = "verifarm-agent", description = "Verifarm's checks engine and farm agent.",
        subcommands = {CheckCommand.class, CheckServerCommand.class, RunAgentCommand.class, SelfCheckCommand.class,
                HelpCommand.class},
        scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
public final class Main implements Callable<Integer> {

    /** Bad usage, an unreadable artifact, a check that could not run. */
    static final int ERROR = 2;

    @Spec
    private CommandSpec spec;

    private final Path workingDirectory;

    private Main(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public static void main(String[] argv) {
        System.exit(run(List.of(argv), System.out, System.err));
    }

    /** Runs the command line {@code argv} and returns its exit status. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, Path.of(""), out, err);
    }

    /**
     * Runs the command line {@code argv} as if started in {@code workingDirectory}, against which the check
     * command opens a relative FILE: the check server runs its clients' command lines so.
     */
    static int run(List<String> argv, Path workingDirectory, PrintStream out, PrintStream err) {
        CommandLine agent = new CommandLine(new Main(workingDirectory));
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().name("completion");
        agent.addSubcommand(completion);
        PrintWriter errors = new PrintWriter(err, true, Charset.defaultCharset());
        PrintWriter output = new PrintWriter(out, false, Charset.defaultCharset());
        agent.setOut(output).setErr(errors).setParameterExceptionHandler((e, given) -> {
            CommandSpec command = e.getCommandLine().getCommandSpec();
            errors.println(command.qualifiedName() + ": " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, errors);
            errors.println("see '" + command.qualifiedName() + " --help'");
            return ERROR;
        }).setExecutionExceptionHandler((e, command, parsed) -> {
            errors.println(command.getCommandSpec().qualifiedName() + ": failed unexpectedly: " + e);
            e.printStackTrace(errors);
            return ERROR;
        });
        int status = agent.execute(argv.toArray(String[]::new));
        output.flush();
        return status;
    }

    /** Where a relative FILE is: the process's own working directory, or a check server's client's. */
    Path workingDirectory() {
        return workingDirectory;
    }

    /** No command: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ERROR;
    }

    /** The version the jar's manifest names (Implementation-Version, written by the build). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"verifarm-agent " + Optional.ofNullable(Main.class.getPackage()
                    .getImplementationVersion()).orElse("(not built as a jar)")};
        }
    }
}
