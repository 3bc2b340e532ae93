package dev.verifarm.agent.farm;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.Health;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.agent.health.SelfCheck;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.proto.v1.AgentServiceGrpc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * For tests of the agent's farm side: a health monitor whose host architecture has passed the static known-answer
 * checks (so leases for it are taken and the agent advertises it), and an artifact cache without a bound.
 */
final class ProvenHealth implements AutoCloseable {
    private final SelfCheck selfCheck;
    private final HealthMonitor monitor;

    private ProvenHealth(SelfCheck selfCheck, HealthMonitor monitor) {
        this.selfCheck = selfCheck;
        this.monitor = monitor;
    }

    static ProvenHealth ofHost() throws IOException {
        Architecture host = Architecture.host().orElseThrow();
        SelfCheck selfCheck = SelfCheck.inSandbox(SandboxPolicy.defaults(), true);
        HealthMonitor monitor = new HealthMonitor(selfCheck, Set.of(host), Duration.ofHours(1), Clock.systemUTC());
        Health health = monitor.checkNow(Set.of(host), "a test's start").join().get(host);
        if (!health.healthy()) {
            throw new IllegalStateException("this host failed the static self-check: " + health.explanation());
        }
        return new ProvenHealth(selfCheck, monitor);
    }

    HealthMonitor monitor() {
        return monitor;
    }

    static ArtifactCache cache(Path dir, Supplier<AgentServiceGrpc.AgentServiceBlockingStub> coordinator)
            throws IOException {
        return new ArtifactCache(dir, Long.MAX_VALUE, 0, coordinator, path -> { }, Clock.systemUTC());
    }

    @Override
    public void close() {
        monitor.close();
        selfCheck.close();
    }
}
