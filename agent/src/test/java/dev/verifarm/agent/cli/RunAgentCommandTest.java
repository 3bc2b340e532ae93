package dev.verifarm.agent.cli;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.farm.CoordinatorAddress;
import dev.verifarm.agent.farm.RunOptions;
import dev.verifarm.agent.testing.CheckCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static dev.verifarm.agent.cli.RunArguments.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code verifarm-agent run}'s options: what each reads into {@link RunOptions}, its default, and its refusals. */
class RunAgentCommandTest {
    private static final List<String> EVERY_OPTION = List.of("--coordinator", "--name", "--max-concurrency",
            "--cache-dir", "--architectures", "--drain-timeout", "--token-file", "--tls-ca", "--insecure-plaintext",
            "--allow-probe-network", "--opened-artifacts-mb", "--host-path-root", "--self-check-interval",
            "--cache-max-size", "--cache-min-free", "--static-only");

    @Test
    void onlyTheCoordinatorIsNeededAndEveryOtherOptionHasItsDefault() {
        RunOptions options = parse("--coordinator", "farm:9090");

        assertEquals(List.of(new CoordinatorAddress("farm", 9090)), options.coordinators());
        assertEquals(Optional.empty(), options.name());
        assertEquals(Runtime.getRuntime().availableProcessors(), options.maxConcurrency());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache/verifarm/artifacts"), options.cacheDir());
        assertEquals(Set.of(), options.architectures());
        assertEquals(Duration.ofMinutes(5), options.drainTimeout());
        assertEquals(Optional.empty(), options.tlsCa());
        assertEquals(Optional.empty(), options.tokenFile());
        assertFalse(options.insecurePlaintext());
        assertFalse(options.allowProbeNetwork());
        assertEquals(512L << 20, options.openedArtifactsBytes());
        assertEquals(List.of(), options.hostPathRoots());
        assertEquals(Duration.ofMinutes(10), options.selfCheckInterval());
        assertEquals(20L << 30, options.cacheMaxBytes());
        assertEquals(1L << 30, options.cacheMinFreeBytes());
        assertFalse(options.staticOnly());
    }

    @Test
    void everyOptionIsReadIntoTheOptions() {
        RunOptions options = parse("--coordinator", "farm:9090", "--name", "rack-7", "--max-concurrency", "3",
                "--cache-dir", "/var/cache/agent", "--architectures", "ARM64", "--drain-timeout", "20",
                "--token-file", "/etc/token", "--tls-ca", "/etc/ca.crt", "--allow-probe-network",
                "--opened-artifacts-mb", "64", "--host-path-root", "/opt/artifacts", "--self-check-interval", "90s",
                "--cache-max-size", "512M", "--cache-min-free", "2GB", "--static-only");

        assertEquals(Optional.of("rack-7"), options.name());
        assertEquals(3, options.maxConcurrency());
        assertEquals(Path.of("/var/cache/agent"), options.cacheDir());
        assertEquals(Set.of(Architecture.ARM64), options.architectures());
        assertEquals(Duration.ofSeconds(20), options.drainTimeout());
        assertEquals(Optional.of(Path.of("/etc/token")), options.tokenFile());
        assertEquals(Optional.of(Path.of("/etc/ca.crt")), options.tlsCa());
        assertTrue(options.allowProbeNetwork());
        assertEquals(64L << 20, options.openedArtifactsBytes());
        assertEquals(List.of(Path.of("/opt/artifacts")), options.hostPathRoots());
        assertEquals(Duration.ofSeconds(90), options.selfCheckInterval());
        assertEquals(512L << 20, options.cacheMaxBytes());
        assertEquals(2L << 30, options.cacheMinFreeBytes());
        assertTrue(options.staticOnly());
        assertTrue(parse("--insecure-plaintext", "--coordinator", "farm:9090").insecurePlaintext());
    }

    @Test
    void architecturesAreCommaSeparated() {
        assertEquals(Set.of(Architecture.AMD64, Architecture.ARM64),
                parse("--coordinator", "farm:9090", "--architectures", "amd64, arm64").architectures());
    }

    @Test
    void hostPathRootsRepeat() {
        RunOptions options = parse("--coordinator", "farm:9090", "--host-path-root", "/opt/verifarm/artifacts",
                "--host-path-root", "/usr/local/bin");
        assertEquals(List.of(Path.of("/opt/verifarm/artifacts"), Path.of("/usr/local/bin")), options.hostPathRoots());
    }

    /** The systemd unit names --cache-dir itself; VERIFARM_AGENT_ARGS, which comes after, may name it again. */
    @Test
    void aLaterValueOfAnOptionReplacesAnEarlierOne() {
        RunOptions options = parse("--coordinator", "old:9090", "--cache-dir", "/var/lib/verifarm/agent/cache",
                "--name", "a", "--architectures", "amd64,arm64", "--coordinator", "new:9090", "--cache-dir",
                "/srv/cache", "--name", "b", "--architectures", "arm64");
        assertEquals(List.of(new CoordinatorAddress("new", 9090)), options.coordinators());
        assertEquals(Path.of("/srv/cache"), options.cacheDir());
        assertEquals(Optional.of("b"), options.name());
        assertEquals(Set.of(Architecture.ARM64), options.architectures());
    }

    @Test
    void severalCoordinatorsAreTriedInTheOrderGiven() {
        RunOptions options = parse("--coordinator", "farm-a:9090, farm-b:9091");
        assertEquals(List.of(new CoordinatorAddress("farm-a", 9090), new CoordinatorAddress("farm-b", 9091)),
                options.coordinators());
    }

    @Test
    void intervalsAndSizesReadTheirUnits() {
        assertEquals(Duration.ofHours(1), parse("--coordinator", "farm:9090", "--self-check-interval", "1h")
                .selfCheckInterval());
        assertEquals(Duration.ofMinutes(2), parse("--coordinator", "farm:9090", "--self-check-interval", "2m")
                .selfCheckInterval());
        assertEquals(Duration.ofSeconds(30), parse("--coordinator", "farm:9090", "--self-check-interval", "30")
                .selfCheckInterval());
        assertEquals(3L << 40, parse("--coordinator", "farm:9090", "--cache-max-size", "3T").cacheMaxBytes());
        assertEquals(4096, parse("--coordinator", "farm:9090", "--cache-min-free", "4K").cacheMinFreeBytes());
        assertEquals(1000, parse("--coordinator", "farm:9090", "--cache-min-free", "1000").cacheMinFreeBytes());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(List.of(), "Missing required option: '--coordinator=HOST:PORT[,HOST:PORT...]'"),
                Arguments.of(List.of("--frobnicate"), "Unknown option: '--frobnicate'"),
                Arguments.of(List.of("--name"), "Missing required parameter for option '--name' (NAME)"),
                Arguments.of(List.of("--coordinator", "farm-a:9090,farm-b"),
                        "--coordinator must be HOST:PORT[,HOST:PORT...], got 'farm-b'"),
                Arguments.of(List.of("--coordinator", "farm-a:9090,farm-b:70000"),
                        "--coordinator port must be between 1 and 65535, got '70000' in 'farm-b:70000'"),
                Arguments.of(List.of("--name", " "), "--name must not be empty"),
                Arguments.of(List.of("--max-concurrency", "0"), "--max-concurrency must be a positive integer, got '0'"),
                Arguments.of(List.of("--max-concurrency", "many"),
                        "Invalid value for option '--max-concurrency': 'many' is not an int"),
                Arguments.of(List.of("--cache-dir", ""), "--cache-dir must not be empty"),
                Arguments.of(List.of("--architectures", "amd64,mips"),
                        "--architectures: unknown architecture 'mips' (known: amd64, arm64)"),
                Arguments.of(List.of("--drain-timeout", "-1"), "--drain-timeout must be a positive integer, got '-1'"),
                Arguments.of(List.of("--token-file", ""), "--token-file must not be empty"),
                Arguments.of(List.of("--tls-ca", " "), "--tls-ca must not be empty"),
                Arguments.of(List.of("--tls-ca", "/etc/ca.crt", "--insecure-plaintext"),
                        "--tls-ca and --insecure-plaintext contradict each other"),
                Arguments.of(List.of("--opened-artifacts-mb", "0"),
                        "--opened-artifacts-mb must be a positive integer, got '0'"),
                Arguments.of(List.of("--host-path-root", "/opt", "--host-path-root", ""),
                        "--host-path-root must not be empty"),
                Arguments.of(List.of("--self-check-interval", "10d"), "--self-check-interval must be a positive"
                        + " number of seconds, or with s, m or h (e.g. 10m), got '10d'"),
                Arguments.of(List.of("--self-check-interval", "0m"), "--self-check-interval must be a positive"
                        + " number of seconds, or with s, m or h (e.g. 10m), got '0m'"),
                Arguments.of(List.of("--cache-max-size", "lots"), "--cache-max-size must be a size in bytes,"
                        + " optionally with a K, M, G or T suffix (e.g. 20G), got 'lots'"),
                Arguments.of(List.of("--cache-min-free", "-1G"), "--cache-min-free must be a size in bytes,"
                        + " optionally with a K, M, G or T suffix (e.g. 20G), got '-1G'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aBadOptionIsRefusedSayingWhatWasWrong(List<String> bad, String message) {
        List<String> args = new ArrayList<>(bad);
        if (!bad.isEmpty() && !bad.contains("--coordinator")) {
            args.addAll(0, List.of("--coordinator", "farm:9090"));
        }
        ParameterException e = assertThrows(ParameterException.class, () -> parse(args.toArray(String[]::new)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aRefusalReadsAsTheOtherCommandsAndExitsTwo() {
        CheckCli.Run run = CheckCli.agent(List.of("run", "--coordinator", "farm:9090", "--max-concurrency", "0"));

        assertEquals(2, run.exitCode(), run.err());
        assertEquals("verifarm-agent run: --max-concurrency must be a positive integer, got '0'\n"
                + "see 'verifarm-agent run --help'\n", run.err());
    }

    @Test
    void whatThisHostCannotDoAsToldIsRefusedBeforeTheAgentStarts() {
        CheckCli.Run run = CheckCli.agent(List.of("run", "--coordinator", "farm:9090", "--host-path-root",
                "/nonexistent/artifacts"));

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("verifarm-agent run: --host-path-root /nonexistent/artifacts cannot be read"),
                run.err());
        assertTrue(run.err().endsWith("see 'verifarm-agent run --help'\n"), run.err());
    }

    @Test
    void helpDescribesEveryOption() {
        CheckCli.Run help = CheckCli.agent(List.of("run", "--help"));

        assertEquals(0, help.exitCode(), help.err());
        EVERY_OPTION.forEach(option -> assertTrue(help.out().contains(option), option + " in " + help.out()));
        assertTrue(help.out().contains("(default: 10m)"), help.out());
    }

    @Test
    void completionCoversEveryOption() {
        CheckCli.Run completion = CheckCli.agent(List.of("completion"));

        assertEquals(0, completion.exitCode(), completion.err());
        EVERY_OPTION.forEach(option -> assertTrue(completion.out().contains(option), option));
    }
}
