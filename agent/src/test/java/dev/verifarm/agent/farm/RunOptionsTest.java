package dev.verifarm.agent.farm;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsTest {

    @Test
    void tlsWithTheSystemsCasAndNoTokenByDefault() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090"));
        assertFalse(options.insecurePlaintext());
        assertEquals(Optional.empty(), options.tlsCa());
        assertEquals(Optional.empty(), options.tokenFile());
        assertFalse(options.allowProbeNetwork());
        assertEquals(List.of(), options.hostPathRoots());
    }

    @Test
    void hostPathRootsRepeat() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090", "--host-path-root",
                "/opt/verifarm/artifacts", "--host-path-root", "/usr/local/bin"));
        assertEquals(List.of(Path.of("/opt/verifarm/artifacts"), Path.of("/usr/local/bin")), options.hostPathRoots());
    }

    @Test
    void tokenFileCaAndFlagsAreRead() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090", "--tls-ca", "/etc/ca.crt",
                "--token-file", "/etc/token", "--allow-probe-network"));
        assertEquals(Optional.of(Path.of("/etc/ca.crt")), options.tlsCa());
        assertEquals(Optional.of(Path.of("/etc/token")), options.tokenFile());
        assertTrue(options.allowProbeNetwork());
        assertTrue(RunOptions.parse(List.of("--insecure-plaintext", "--coordinator", "farm:9090"))
                .insecurePlaintext());
    }

    @Test
    void aTrustedCaAndPlaintextContradictEachOther() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(List.of(
                "--coordinator", "farm:9090", "--tls-ca", "/etc/ca.crt", "--insecure-plaintext")));
        assertTrue(e.getMessage().contains("contradict"), e.getMessage());
    }

    @Test
    void aTokenFileThatIsMissingIsAUsageError() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090", "--token-file",
                "/nonexistent/token", "--insecure-plaintext"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoordinatorChannel.open(options, options.coordinators().get(0)));
        assertTrue(e.getMessage().startsWith("--token-file /nonexistent/token"), e.getMessage());
    }

    @Test
    void openedArtifactsAreLimitedInMegabytesOfArtifactFiles() {
        assertEquals(512L << 20, RunOptions.parse(List.of("--coordinator", "farm:9090")).openedArtifactsBytes());
        assertEquals(64L << 20, RunOptions.parse(List.of("--coordinator", "farm:9090", "--opened-artifacts-mb", "64"))
                .openedArtifactsBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(List.of(
                "--coordinator", "farm:9090", "--opened-artifacts-mb", "0")));
        assertTrue(e.getMessage().contains("--opened-artifacts-mb"), e.getMessage());
    }

    @Test
    void severalCoordinatorsAreTriedInTheOrderGiven() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm-a:9090, farm-b:9091"));
        assertEquals(List.of(new CoordinatorAddress("farm-a", 9090), new CoordinatorAddress("farm-b", 9091)),
                options.coordinators());
    }

    @Test
    void aBadCoordinatorInTheListIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(List.of(
                "--coordinator", "farm-a:9090,farm-b")));
        assertTrue(e.getMessage().contains("'farm-b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(List.of(
                "--coordinator", "farm-a:9090,farm-b:70000")));
        assertTrue(e.getMessage().contains("'70000'"), e.getMessage());
    }

    @Test
    void theAgentMovesToTheNextCoordinatorRoundTheList() throws InterruptedException {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "127.0.0.1:1,127.0.0.1:2",
                "--insecure-plaintext"));
        Coordinators coordinators = Coordinators.open(options);
        try {
            assertEquals("127.0.0.1:1", coordinators.address().toString());
            assertEquals("127.0.0.1:2", coordinators.next().toString());
            assertEquals("127.0.0.1:1", coordinators.next().toString());
        } finally {
            coordinators.shutdown(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void selfCheckIntervalAndCacheBoundsHaveDefaultsAndReadUnits() {
        RunOptions defaults = RunOptions.parse(List.of("--coordinator", "farm:9090"));
        assertEquals(java.time.Duration.ofMinutes(10), defaults.selfCheckInterval());
        assertEquals(20L << 30, defaults.cacheMaxBytes());
        assertEquals(1L << 30, defaults.cacheMinFreeBytes());

        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090", "--self-check-interval", "90s",
                "--cache-max-size", "512M", "--cache-min-free", "2GB"));
        assertEquals(java.time.Duration.ofSeconds(90), options.selfCheckInterval());
        assertEquals(512L << 20, options.cacheMaxBytes());
        assertEquals(2L << 30, options.cacheMinFreeBytes());
        assertEquals(java.time.Duration.ofHours(1), RunOptions.parse(List.of("--coordinator", "farm:9090",
                "--self-check-interval", "1h")).selfCheckInterval());
        assertEquals(java.time.Duration.ofSeconds(30), RunOptions.parse(List.of("--coordinator", "farm:9090",
                "--self-check-interval", "30")).selfCheckInterval());
    }

    @Test
    void badIntervalsAndSizesSayWhatIsExpected() {
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(
                List.of("--coordinator", "farm:9090", "--self-check-interval", "10d")));
        assertEquals("--self-check-interval must be a positive number of seconds, or with s, m or h (e.g. 10m),"
                + " got '10d'", interval.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(
                List.of("--coordinator", "farm:9090", "--cache-max-size", "lots")));
        assertEquals("--cache-max-size must be a size in bytes, optionally with a K, M, G or T suffix (e.g. 20G),"
                + " got 'lots'", size.getMessage());
    }
}
