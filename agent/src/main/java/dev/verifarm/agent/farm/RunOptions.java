package dev.verifarm.agent.farm;

import dev.verifarm.agent.elf.Architecture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code verifarm-agent run}.
 *
 * @param coordinators    the coordinators' gRPC addresses, tried in turn: any of them serves this agent
 * @param name            how the farm lists this agent; defaults to the host name
 * @param maxConcurrency  how many leases run at once
 * @param cacheDir        where downloaded artifacts are kept, by sha256
 * @param architectures   the architectures to accept work for; empty means the native one plus every emulated one
 * @param drainTimeout    how long a stopping agent lets the leases it holds finish
 * @param tlsCa           the CA that signed the coordinator's certificate; empty means the system's trusted CAs
 * @param tokenFile       the file holding this agent's enrolment token
 * @param insecurePlaintext connect without TLS: the token and all leases travel in clear
 * @param allowProbeNetwork run probes even where no network namespace can be made for them
 * @param openedArtifactsBytes how many bytes of artifact files stay opened (hashed, parsed) for the next lease
 * @param selfCheckInterval how often the agent proves every architecture it can run with its known-answer checks
 * @param cacheMaxBytes   the most the artifact cache keeps; least recently used files go first
 * @param cacheMinFreeBytes free space the cache leaves on its disk; below it the cache fetches nothing new
 * @param staticOnly      run no probes: self-check statically only, and send native leases back
 */
public record RunOptions(List<CoordinatorAddress> coordinators, Optional<String> name, int maxConcurrency,
                         Path cacheDir, Set<Architecture> architectures, Duration drainTimeout, Optional<Path> tlsCa,
                         Optional<Path> tokenFile, boolean insecurePlaintext, boolean allowProbeNetwork,
                         long openedArtifactsBytes, List<Path> hostPathRoots, Duration selfCheckInterval,
                         long cacheMaxBytes, long cacheMinFreeBytes, boolean staticOnly) {

    /** Room for ten artifacts of hugo's size (50 MB) at once, or hundreds of small ones. */
    static final int DEFAULT_OPENED_ARTIFACTS_MB = 512;
    static final Duration DEFAULT_SELF_CHECK_INTERVAL = Duration.ofMinutes(10);
    static final long DEFAULT_CACHE_MAX_BYTES = 20L << 30;
    static final long DEFAULT_CACHE_MIN_FREE_BYTES = 1L << 30;

    public static final String USAGE = """
            usage: verifarm-agent run --coordinator HOST:PORT[,HOST:PORT...] [--name NAME] [--max-concurrency N]
                                      [--cache-dir DIR] [--architectures amd64,arm64]
                                      [--drain-timeout SECONDS] [--token-file FILE]
                                      [--tls-ca FILE | --insecure-plaintext] [--allow-probe-network]
                                      [--opened-artifacts-mb MB] [--host-path-root DIR]...
                                      [--self-check-interval DURATION] [--cache-max-size SIZE]
                                      [--cache-min-free SIZE] [--static-only]
              --coordinator      the coordinator's gRPC address (required); several coordinators sharing one
                                 database, comma-separated: when the stream to one breaks, the agent moves
                                 to the next (one load-balanced name works too)
              --name             how the farm lists this agent (default: the host name)
              --max-concurrency  leases run at once (default: the number of CPUs)
              --cache-dir        artifact cache, by sha256 (default: ~/.cache/verifarm/artifacts)
              --architectures    architectures to accept work for (default: native plus qemu-user emulated)
              --drain-timeout    on SIGTERM, how long to finish the leases held while taking no new ones
                                 (default: 300); leases still running then are requeued elsewhere
              --token-file       the agent's enrolment token (POST /api/v1/tokens with role agent)
              --tls-ca           the CA certificate (PEM) to trust for the coordinator (default: the system's)
              --insecure-plaintext  no TLS: only for a coordinator that allows plaintext agents
              --allow-probe-network run native probes even where no network namespace can be made
              --opened-artifacts-mb  artifacts kept opened (hashed, tables read) for the next lease on the same
                                 file, in MB of artifact files (default: 512); least recently used closed first
              --host-path-root   a directory under which jobs may name files on this host (repeatable; symbolic
                                 links are resolved first); without one the agent reads no host paths
              --self-check-interval  how often to prove each architecture with the known-answer self-checks,
                                 in seconds or with s, m or h (default: 10m); also at start, when the
                                 coordinator asks, and when a native run fails. An architecture that fails is not
                                 served until a self-check passes again
              --cache-max-size   the most the artifact cache keeps, bytes or with K, M, G (default: 20G); least
                                 recently used artifacts no lease holds are deleted, and fetched again when needed
              --cache-min-free   free space to leave on the cache's disk (default: 1G); below it the cache evicts,
                                 and if that is not enough fetches nothing and reports itself unhealthy
              --static-only      run no probes (a host that cannot, on purpose): self-checks are static only,
                                 the agent registers without native execution and sends native leases back""";

    public RunOptions {
        coordinators = List.copyOf(coordinators);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(tlsCa, "tlsCa");
        Objects.requireNonNull(tokenFile, "tokenFile");
        architectures = architectures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(architectures));
        hostPathRoots = List.copyOf(hostPathRoots);
    }

    /** Parses the arguments after {@code run}; a bad one is an {@link IllegalArgumentException} saying which. */
    public static RunOptions parse(List<String> args) {
        List<CoordinatorAddress> coordinators = List.of();
        Optional<String> name = Optional.empty();
        int maxConcurrency = Runtime.getRuntime().availableProcessors();
        Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "verifarm", "artifacts");
        Set<Architecture> architectures = Set.of();
        Duration drainTimeout = Duration.ofMinutes(5);
        Optional<Path> tlsCa = Optional.empty();
        Optional<Path> tokenFile = Optional.empty();
        boolean insecurePlaintext = false;
        boolean allowProbeNetwork = false;
        boolean staticOnly = false;
        long openedArtifactsMb = DEFAULT_OPENED_ARTIFACTS_MB;
        List<Path> hostPathRoots = new ArrayList<>();
        Duration selfCheckInterval = DEFAULT_SELF_CHECK_INTERVAL;
        long cacheMaxBytes = DEFAULT_CACHE_MAX_BYTES;
        long cacheMinFreeBytes = DEFAULT_CACHE_MIN_FREE_BYTES;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--insecure-plaintext") || option.equals("--allow-probe-network")
                    || option.equals("--static-only")) {
                insecurePlaintext |= option.equals("--insecure-plaintext");
                allowProbeNetwork |= option.equals("--allow-probe-network");
                staticOnly |= option.equals("--static-only");
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option.startsWith("--")
                        ? "option " + option + " needs a value" : "unexpected argument '" + option + "'");
            }
            String value = args.get(++i);
            switch (option) {
                case "--coordinator" -> coordinators = Arrays.stream(value.split(",")).map(String::strip)
                        .map(CoordinatorAddress::parse).toList();
                case "--name" -> name = Optional.of(nonBlank(option, value));
                case "--max-concurrency" -> maxConcurrency = positive(option, value);
                case "--cache-dir" -> cacheDir = Path.of(nonBlank(option, value));
                case "--architectures" -> architectures = architectures(value);
                case "--drain-timeout" -> drainTimeout = Duration.ofSeconds(positive(option, value));
                case "--tls-ca" -> tlsCa = Optional.of(Path.of(nonBlank(option, value)));
                case "--token-file" -> tokenFile = Optional.of(Path.of(nonBlank(option, value)));
                case "--opened-artifacts-mb" -> openedArtifactsMb = positive(option, value);
                case "--host-path-root" -> hostPathRoots.add(Path.of(nonBlank(option, value)));
                case "--self-check-interval" -> selfCheckInterval = interval(option, value);
                case "--cache-max-size" -> cacheMaxBytes = ByteSize.parse(option, value);
                case "--cache-min-free" -> cacheMinFreeBytes = ByteSize.parse(option, value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("--coordinator HOST:PORT is required");
        }
        if (insecurePlaintext && tlsCa.isPresent()) {
            throw new IllegalArgumentException("--tls-ca and --insecure-plaintext contradict each other");
        }
        return new RunOptions(coordinators, name, maxConcurrency, cacheDir, architectures,
                drainTimeout, tlsCa, tokenFile, insecurePlaintext, allowProbeNetwork,
                openedArtifactsMb << 20, hostPathRoots, selfCheckInterval, cacheMaxBytes, cacheMinFreeBytes,
                staticOnly);
    }

    private static String nonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, got '" + value + "'");
    }

    /** Seconds, or a number with s, m or h. */
    private static Duration interval(String option, String value) {
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
        throw new IllegalArgumentException(option + " must be a positive number of seconds, or with s, m or h"
                + " (e.g. 10m), got '" + value + "'");
    }

    private static Set<Architecture> architectures(String value) {
        List<Architecture> parsed = new ArrayList<>();
        for (String goName : value.split(",")) {
            String trimmed = goName.strip().toLowerCase(Locale.ROOT);
            parsed.add(Architecture.ofGoName(trimmed).orElseThrow(() -> new IllegalArgumentException(
                    "--architectures: unknown architecture '" + trimmed + "' (known: amd64, arm64)")));
        }
        return EnumSet.copyOf(parsed);
    }
}
