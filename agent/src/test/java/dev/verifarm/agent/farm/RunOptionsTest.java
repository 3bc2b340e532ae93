package dev.verifarm.agent.farm;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
                () -> CoordinatorChannel.open(options));
        assertTrue(e.getMessage().startsWith("--token-file /nonexistent/token"), e.getMessage());
    }
}
