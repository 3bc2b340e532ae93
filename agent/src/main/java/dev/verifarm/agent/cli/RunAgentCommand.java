package dev.verifarm.agent.cli;

import dev.verifarm.agent.farm.ByteSize;
import dev.verifarm.agent.farm.CoordinatorAddress;
import dev.verifarm.agent.farm.RunCommand;
import dev.verifarm.agent.farm.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code verifarm-agent run}: reads the options into the {@link RunOptions} the farm code serves with. What this
 * host cannot do as told (a host-path root that is no directory, an architecture it cannot run, an unreadable CA or
 * token file) is a usage error too, found before the agent starts.
 */
@Command(name = "run", sortOptions = false,
        description = "Serve a farm: connect to the coordinators and run the checks they lease to this host.",
        footer = {"", "Exit status: runs until stopped (SIGTERM drains, then exits); 2 bad usage."})
final class RunAgentCommand implements Callable<Integer> {

    private CommandSpec spec;

    @Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "the coordinator's gRPC address; several coordinators sharing one database,"
                    + " comma-separated: when the stream to one breaks, the agent moves to the next (one"
                    + " load-balanced name works too)")
    private String coordinator;

    @Option(names = "--name", paramLabel = "NAME", description = "how the farm lists this agent (default: the host"
            + " name)")
    private Optional<String> name = Optional.empty();

    @Option(names = "--max-concurrency", paramLabel = "N", description = "leases run at once (default: the number"
            + " of CPUs)")
    private int maxConcurrency = Runtime.getRuntime().availableProcessors();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "artifact cache, by sha256 (default:"
            + " ~/.cache/verifarm/artifacts)")
    private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "verifarm", "artifacts");

    @Option(names = "--architectures", paramLabel = "amd64,arm64", completionCandidates = GoNames.class,
            description = "architectures to accept work for (default: native plus qemu-user emulated)")
    private Optional<String> architectures = Optional.empty();

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "on SIGTERM, how long to finish the"
            + " leases held while taking no new ones (default: ${DEFAULT-VALUE}); leases still running then are"
            + " requeued elsewhere")
    private int drainTimeoutSeconds = 300;

    @Option(names = "--token-file", paramLabel = "FILE", description = "the agent's enrolment token (POST"
            + " /api/v1/tokens with role agent)")
    private Optional<Path> tokenFile = Optional.empty();

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "the CA certificate (PEM) to trust for the"
            + " coordinator (default: the system's)")
    private Optional<Path> tlsCa = Optional.empty();

    @Option(names = "--insecure-plaintext", description = "no TLS: only for a coordinator that allows plaintext"
            + " agents")
    private boolean insecurePlaintext;

    @Option(names = "--allow-probe-network", description = "run native probes even where no network namespace can"
            + " be made")
    private boolean allowProbeNetwork;

    @Option(names = "--opened-artifacts-mb", paramLabel = "MB", description = "artifacts kept opened (hashed, tables"
            + " read) for the next lease on the same file, in MB of artifact files (default: ${DEFAULT-VALUE});"
            + " least recently used closed first")
    private int openedArtifactsMb = 512;

    @Option(names = "--host-path-root", paramLabel = "DIR", description = "a directory under which jobs may name"
            + " files on this host (repeatable; symbolic links are resolved first); without one the agent reads no"
            + " host paths")
    private List<Path> hostPathRoots = new ArrayList<>();

    @Option(names = "--self-check-interval", paramLabel = "DURATION", description = "how often to prove each"
            + " architecture with the known-answer self-checks, in seconds or with s, m or h (default:"
            + " ${DEFAULT-VALUE}); also at start, when the coordinator asks, and when a native run fails. An"
            + " architecture that fails is not served until a self-check passes again")
    private String selfCheckInterval = "10m";

    @Option(names = "--cache-max-size", paramLabel = "SIZE", description = "the most the artifact cache keeps, bytes"
            + " or with K, M, G (default: ${DEFAULT-VALUE}); least recently used artifacts no lease holds are"
            + " deleted, and fetched again when needed")
    private String cacheMaxSize = "20G";

    @Option(names = "--cache-min-free", paramLabel = "SIZE", description = "free space to leave on the cache's disk"
            + " (default: ${DEFAULT-VALUE}); below it the cache evicts, and if that is not enough fetches nothing and"
            + " reports itself unhealthy")
    private String cacheMinFree = "1G";

    @Option(names = "--static-only", description = "run no probes (a host that cannot, on purpose): self-checks are"
            + " static only, the agent registers without native execution and sends native leases back")
    private boolean staticOnly;

    /**
     * A later value of an option replaces an earlier one, as it always has for {@code run}: the systemd unit's
     * fixed options come first and what {@code VERIFARM_AGENT_ARGS} adds after them wins.
     */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.parser().overwrittenOptionsAllowed(true);
    }

    @Override
    public Integer call() {
        RunCommand agent;
        try {
            agent = RunCommand.prepare(Reading.options(this));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw usage(e.getMessage());
        }
        return agent.run(System.err);
    }

    private List<CoordinatorAddress> coordinators() {
        return Arrays.stream(coordinator.split(",")).map(String::strip).map(CoordinatorAddress::parse).toList();
    }

    private String nonBlank(String option, String value) {
        if (value.isBlank()) {
            throw usage(option + " must not be empty");
        }
        return value;
    }

    private Path nonBlank(String option, Path value) {
        nonBlank(option, value.toString());
        return value;
    }

    private int positive(String option, int value) {
        if (value <= 0) {
            throw usage(option + " must be a positive integer, got '" + value + "'");
        }
        return value;
    }

    /** Seconds, or a number with s, m or h. */
    private Duration interval(String option, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        char unit = v.isEmpty() ? 's' : v.charAt(v.length() - 1);
        String number = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
        long seconds = switch (Character.isDigit(unit) ? 's' : unit) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            default -> -1;
        };
        try {
            long n = Long.parseLong(number);
            if (n > 0 && seconds > 0) {
                return Duration.ofSeconds(n * seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage(option + " must be a positive number of seconds, or with s, m or h (e.g. 10m), got '" + value
                + "'");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * What the options ask for; what they cannot mean is a usage error. Not a method of the command itself: picocli
     * reflects on the command's methods for every command line, which would load {@link RunOptions} (a farm class)
     * for {@code check} too, whose start loads no farm class (CheckLauncherIT).
     */
    static final class Reading {
        private Reading() {
        }

        static RunOptions options(RunAgentCommand c) {
            if (c.insecurePlaintext && c.tlsCa.isPresent()) {
                throw c.usage("--tls-ca and --insecure-plaintext contradict each other");
            }
            try {
                return new RunOptions(c.coordinators(), c.name.map(n -> c.nonBlank("--name", n)),
                        c.positive("--max-concurrency", c.maxConcurrency), c.nonBlank("--cache-dir", c.cacheDir),
                        GoNames.architectures(c.spec, "--architectures",
                                c.architectures.map(a -> List.of(a.split(","))).orElse(List.of())),
                        Duration.ofSeconds(c.positive("--drain-timeout", c.drainTimeoutSeconds)),
                        c.tlsCa.map(p -> c.nonBlank("--tls-ca", p)),
                        c.tokenFile.map(p -> c.nonBlank("--token-file", p)),
                        c.insecurePlaintext, c.allowProbeNetwork,
                        (long) c.positive("--opened-artifacts-mb", c.openedArtifactsMb) << 20,
                        c.hostPathRoots.stream().map(p -> c.nonBlank("--host-path-root", p)).toList(),
                        c.interval("--self-check-interval", c.selfCheckInterval),
                        ByteSize.parse("--cache-max-size", c.cacheMaxSize),
                        ByteSize.parse("--cache-min-free", c.cacheMinFree), c.staticOnly);
            } catch (IllegalArgumentException e) {
                throw c.usage(e.getMessage());
            }
        }
    }
}
