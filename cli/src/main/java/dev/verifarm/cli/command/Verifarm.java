package dev.verifarm.cli.command;

import dev.verifarm.cli.connect.FarmConnection;
import dev.verifarm.cli.connect.Settings;
import dev.verifarm.cli.exit.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code verifarm COMMAND ...}: the farm from a shell or a CI pipeline. The options here hold for every command
 * and may stand before or after it ({@code verifarm --coordinator H:P jobs} is {@code verifarm jobs --coordinator
 * H:P}).
 */
@Command(name = "verifarm", sortOptions = false, usageHelpAutoWidth = true,
        description = "Submit, watch and inspect the jobs and nightly runs of a Verifarm farm.",
        subcommands = {SubmitCommand.class, JobCommands.Show.class, JobCommands.ListJobs.class,
                JobCommands.Watch.class, JobCommands.Cancel.class, AgentsCommand.class, NightlyCommand.class,
                HelpCommand.class},
        scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Verifarm.Version.class,
        footer = {"",
                "The coordinator: --coordinator, else $VERIFARM_COORDINATOR, else coordinator= in"
                        + " ~/.config/verifarm/cli.properties, else " + Settings.DEFAULT_COORDINATOR + ".",
                "The token: $VERIFARM_TOKEN, else token= in that file (sent as 'authorization: Bearer TOKEN').",
                "TLS: --tls-ca FILE, else $VERIFARM_TLS_CA, else tls-ca= in that file; plaintext without one.",
                "Exit status: 0 all matched, 1 a verification failed, 2 bad usage, an unreachable or refusing"
                        + " coordinator, or a job that could not be verified."})
public final class Verifarm implements Callable<Integer> {

    @Option(names = "--coordinator", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "the coordinator's gRPC address")
    private Optional<String> coordinator = Optional.empty();

    @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "the CA certificate (PEM) the coordinator's certificate must chain to")
    private Optional<String> tlsCa = Optional.empty();

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    /** @param terminal whether stderr is a terminal (a progress bar) or a log (plain lines) */
    public Verifarm(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** No command: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitStatus.ERROR;
    }

    /** The coordinator these options, the environment and the config file name; closing it closes the channel. */
    Session session() {
        return new Session(new FarmConnection(Settings.resolve(coordinator, tlsCa, env)), out, err, terminal);
    }

    /** The version the jar's manifest names (Implementation-Version, written by the build). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"verifarm " + Optional.ofNullable(Verifarm.class.getPackage()
                    .getImplementationVersion()).orElse("(not built as a jar)")};
        }
    }
}
