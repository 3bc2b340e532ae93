package dev.verifarm.agent.farm;

import dev.verifarm.agent.elf.Architecture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an agent tells the coordinator about itself decides which jobs it is leased. */
class RegisterTest {
    private static final HostFacts HOST = new HostFacts("build-07", Architecture.AMD64, "6.1", "test", Set.of());

    @Test
    void anAgentWithoutHostPathRootsSaysItReadsNoHostPaths() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090"));
        assertFalse(RunCommand.register(options, HOST, Set.of(Architecture.AMD64)).getCapabilities().getHostPaths());
    }

    @Test
    void anAgentWithARootSaysItReadsHostPaths() {
        RunOptions options = RunOptions.parse(List.of("--coordinator", "farm:9090", "--host-path-root", "/opt/x"));
        assertTrue(RunCommand.register(options, HOST, Set.of(Architecture.AMD64)).getCapabilities().getHostPaths());
    }
}
