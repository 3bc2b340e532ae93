package dev.verifarm.agent.farm;

import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.Health;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.Register;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the agent tells the coordinator about itself, as of now: it serves only the architectures whose last
 * self-check passed, and reports every one's health and its cache's. Not advertising an architecture keeps its work
 * away from a host that would answer it wrongly; the coordinator also gates leases on the health reported.
 */
final class Advertisement {
    private final RunOptions options;
    private final HostFacts facts;
    private final HealthMonitor monitor;
    private final Supplier<Health> cacheHealth;

    Advertisement(RunOptions options, HostFacts facts, HealthMonitor monitor, Supplier<Health> cacheHealth) {
        this.options = options;
        this.facts = facts;
        this.monitor = monitor;
        this.cacheHealth = cacheHealth;
    }

    Register register() {
        Capabilities.Builder capabilities = Capabilities.newBuilder().setNativeExecution(!options.staticOnly())
                .setHostPaths(!options.hostPathRoots().isEmpty());
        facts.emulated().forEach(a -> capabilities.addEmulated(CheckWire.architecture(a)));
        // none healthy: the coordinator reads an empty list as the host's own architecture; nothingHealthy() drains
        monitor.healthy().forEach(a -> capabilities.addServes(CheckWire.architecture(a)));
        return Register.newBuilder()
                .setName(options.name().orElse(facts.hostname()))
                .setHostname(facts.hostname())
                .setArchitecture(CheckWire.architecture(facts.architecture()))
                .setKernel(facts.kernel())
                .setCpu(facts.cpu())
                .setCapabilities(capabilities)
                .setMaxConcurrency(options.maxConcurrency())
                .setAgentVersion(RunCommand.VERSION)
                .addAllHealth(HealthWire.architectures(monitor.health()))
                .setCacheHealth(HealthWire.health(cacheHealth.get()))
                .build();
    }

    Heartbeat.Builder heartbeat() {
        return Heartbeat.newBuilder()
                .addAllHealth(HealthWire.architectures(monitor.health()))
                .setCacheHealth(HealthWire.health(cacheHealth.get()));
    }

    /** Why the agent must take no work at all: no architecture it can run passed its self-check. */
    Optional<String> nothingHealthy() {
        Set<Architecture> healthy = monitor.healthy();
        if (!healthy.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("no architecture passed its self-check: " + monitor.health().entrySet().stream()
                .map(e -> e.getKey().goName() + " " + e.getValue().explanation())
                .collect(Collectors.joining("; ")));
    }
}
