package dev.verifarm.agent.farm;

import dev.verifarm.agent.cli.RunArguments;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.Health;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an agent tells the coordinator about itself decides which jobs it is leased. */
class RegisterTest {
    private static final HostFacts HOST = new HostFacts("build-07", Architecture.host().orElseThrow(), "6.1", "test",
            Set.of());

    private ProvenHealth health;

    @BeforeEach
    void prove() throws IOException {
        health = ProvenHealth.ofHost();
    }

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void anAgentWithoutHostPathRootsSaysItReadsNoHostPaths() {
        assertFalse(register("--coordinator", "farm:9090").getCapabilities().getHostPaths());
    }

    @Test
    void anAgentWithARootSaysItReadsHostPaths() {
        assertTrue(register("--coordinator", "farm:9090", "--host-path-root", "/opt/x").getCapabilities()
                .getHostPaths());
    }

    private dev.verifarm.proto.v1.Register register(String... args) {
        return new Advertisement(RunArguments.parse(args), HOST, health.monitor(), () -> Health.UNKNOWN)
                .register();
    }
}
