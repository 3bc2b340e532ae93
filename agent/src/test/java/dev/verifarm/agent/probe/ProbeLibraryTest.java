package dev.verifarm.agent.probe;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.testing.AgentModule;
import dev.verifarm.agent.testing.CFixtures;
import dev.verifarm.agent.testing.ExternalCommand;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe libraries users add to their programs: the Go package {@code probe/go} (whose own tests run here, and
 * which the Go fixtures use, so {@link NativeModeTest} checks programs built with it) and the C header
 * {@code probe/c/verifarm_probe.h}, checked natively through a C program on amd64 and, under qemu-user, arm64.
 */
class ProbeLibraryTest {
    private static final Expectation LEAF = Expectation.resolve("addr_of_leaf", "leaf");
    private static final Expectation OTHER = Expectation.resolve("addr_of_other", "leaf");

    @Test
    void theGoLibrarysOwnTestsPass() {
        ExternalCommand.Result r = GoFixtures.goTest(AgentModule.goProbeLibrary());
        assertTrue(r.succeeded(), r.describe());
        assertTrue(r.stdout().startsWith("ok  \tverifarm.dev/probe"), r.stdout());
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void aCProgramUsingTheHeaderIsCheckedNatively(GoArch arch) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(CFixtures.probed(arch), new CheckRequest(List.of(LEAF, OTHER), false, ExecutionMode.NATIVE));
        CheckResult leaf = report.results().get(0);
        CheckResult other = report.results().get(1);
        assertEquals(Verdict.MATCH, leaf.verdict(), leaf.reason());
        assertEquals(Verdict.MISMATCH, other.verdict(), other.reason());
        assertTrue(other.reason().contains("<other>"), other.reason());
    }

    @Test
    void theCHeaderSpeaksOnlyUnderVerifarmProbeAndInTheProtocolsOrder() {
        Path probed = CFixtures.probed(GoArch.AMD64.isHost() ? GoArch.AMD64 : GoArch.ARM64);
        List<String> lines = run(probed, "1").lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("verifarm probe 1", lines.get(0));
        assertTrue(lines.get(1).matches("verifarm resolve addr_of_leaf 0x[0-9a-f]+"), lines.get(1));
        assertTrue(lines.get(2).matches("verifarm resolve addr_of_other 0x[0-9a-f]+"), lines.get(2));
        assertTrue(lines.get(3).matches("verifarm copy addr_of_leaf " + lines.get(1).split(" ")[3]
                + " 0x[0-9a-f]+ 16"), lines.get(3));
        assertEquals("verifarm ready", lines.get(4));
        assertEquals("probed: leaf(1) = 4, other(1) = 8; set VERIFARM_PROBE=1 for probe mode\n", run(probed, "0"));
    }

    private static String run(Path program, String probe) {
        ExternalCommand.Result r = ExternalCommand.run(List.of(program.toString()), null,
                Map.of("VERIFARM_PROBE", probe), Duration.ofSeconds(30));
        assertTrue(r.succeeded(), r.describe());
        return r.stdout();
    }
}
