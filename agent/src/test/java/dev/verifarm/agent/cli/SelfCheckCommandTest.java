package dev.verifarm.agent.cli;

import dev.verifarm.agent.testing.BrokenEmulator;
import dev.verifarm.agent.testing.ExternalCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code verifarm-agent self-check} in a process of its own, on this host as it is and with its tools broken. */
class SelfCheckCommandTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @Test
    void aSoundHostIsHealthyForItsOwnAndItsEmulatedArchitecture() {
        ExternalCommand.Result r = selfCheck(Map.of());

        assertEquals(0, r.exitCode(), r.describe() + r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\namd64 +HEALTHY +20\\d\\d-.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\narm64 +HEALTHY +20\\d\\d-.*"), r.stdout());
    }

    @Test
    void aBrokenEmulatorMakesOnlyItsArchitectureUnhealthyAndNamesTheFailingCheck() {
        BrokenEmulator emulator = BrokenEmulator.create();

        ExternalCommand.Result r = selfCheck(Map.of("PATH", emulator.path()));

        assertEquals(1, r.exitCode(), r.describe() + r.stdout());
        String foreign = emulator.foreign().goName();
        String own = foreign.equals("arm64") ? "amd64" : "arm64";
        assertTrue(r.stdout().matches("(?s).*\\n" + own + " +HEALTHY .*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\n" + foreign + " +UNHEALTHY +20\\d\\d-\\S+ +native resolve"
                + " main.addrOfMemcpyish=main.memcpyish: expected MATCH, got ERROR: .*broken on purpose.*"), r.stdout());
    }

    @Test
    void aSandboxThatCannotStartMakesEveryArchitectureUnhealthy() throws IOException {
        Path tools = Files.createTempDirectory("verifarm-no-namespaces-");
        Path unshare = tools.resolve("unshare");
        Files.writeString(unshare, "#!/bin/sh\necho 'unshare: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(unshare, PosixFilePermissions.fromString("rwxr-xr-x"));

        ExternalCommand.Result r = selfCheck(Map.of("PATH", tools + ":" + System.getenv("PATH")));

        assertEquals(1, r.exitCode(), r.describe() + r.stdout());
        for (String arch : List.of("amd64", "arm64")) {
            assertTrue(r.stdout().matches("(?s).*\\n" + arch + " +UNHEALTHY .*native resolve .*cannot create a"
                    + " network namespace.*"), r.stdout());
        }
        Files.delete(unshare);
        Files.delete(tools);
    }

    @Test
    void staticOnlyAsksNoProbeSoAHostThatRunsNoneIsHealthy() throws IOException {
        Path tools = Files.createTempDirectory("verifarm-no-namespaces-");
        Path unshare = tools.resolve("unshare");
        Files.writeString(unshare, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(unshare, PosixFilePermissions.fromString("rwxr-xr-x"));

        ExternalCommand.Result r = selfCheck(Map.of("PATH", tools + ":" + System.getenv("PATH")), "--static-only");

        assertEquals(0, r.exitCode(), r.describe() + r.stdout());
        Files.delete(unshare);
        Files.delete(tools);
    }

    @Test
    void archChoosesWhatIsChecked() {
        ExternalCommand.Result r = selfCheck(Map.of(), "--arch", "arm64");

        assertEquals(0, r.exitCode(), r.describe() + r.stdout());
        assertEquals(2, r.stdout().lines().count(), r.stdout());
        assertTrue(r.stdout().lines().skip(1).allMatch(l -> l.startsWith("arm64 ")), r.stdout());
    }

    @Test
    void anUnknownArchitectureIsAUsageError() {
        ExternalCommand.Result r = selfCheck(Map.of(), "--arch", "riscv64");

        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("unknown architecture 'riscv64'"), r.stderr());
    }

    private static ExternalCommand.Result selfCheck(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "self-check"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, null, env, LIMIT);
    }
}
