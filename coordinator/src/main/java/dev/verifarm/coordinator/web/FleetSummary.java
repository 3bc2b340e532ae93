package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.quarantine.AdminQuarantines;
import dev.verifarm.coordinator.quarantine.Quarantine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The live agents of the whole fleet by the architecture they serve, with their health and load. */
@ApplicationScoped
class FleetSummary {
    private final FleetView fleet;
    private final Duration heartbeatInterval;
    @Inject
    AdminQuarantines quarantines;

    @Inject
    FleetSummary(FleetView fleet, CoordinatorConfig config) {
        this.fleet = fleet;
        this.heartbeatInterval = config.agent().heartbeatInterval();
    }

    /** An agent that serves an architecture through qemu-user is listed under it too, marked emulated. */
    public record ArchitectureGroup(String architecture, List<AgentRow> agents) {
    }

    /**
     * {@code health}: healthy while heartbeats arrive on time, late once one is overdue. {@code selfChecks}: the
     * agent's known-answer self-checks, one per architecture it claims. {@code quarantines}: each architecture it
     * is kept from, by whom and why.
     */
    public record AgentRow(String name, String hostname, String execution, String health, String lastHeartbeat,
                           List<SelfCheck> selfChecks, List<String> quarantines, int running, int maxConcurrency,
                           int loadPercent,
                           String kernel, String cpu, String version) {
    }

    /** {@code reason}: UNHEALTHY, the failing check and what it got instead; empty otherwise. */
    public record SelfCheck(String architecture, String state, String reason) {
        static SelfCheck of(Architecture architecture, Health health) {
            return new SelfCheck(architecture.goName(), health.state().name(), health.check().isEmpty()
                    ? health.reason() : health.check() + ": " + health.reason());
        }
    }

    List<ArchitectureGroup> byArchitecture() {
        Instant now = Instant.now();
        List<FleetMember> agents = fleet.agents();
        List<Quarantine> quarantined = quarantines.current();
        return Arrays.stream(Architecture.values()).map(a -> new ArchitectureGroup(a.goName(),
                agents.stream().filter(agent -> agent.serves(a)).map(agent -> row(agent, a, now, quarantined))
                        .toList())).toList();
    }

    private AgentRow row(FleetMember agent, Architecture architecture, Instant now, List<Quarantine> quarantined) {
        AgentRegistration r = agent.registration();
        Duration silent = Duration.between(agent.lastHeartbeatAt(), now);
        String health = silent.compareTo(heartbeatInterval.multipliedBy(2)) <= 0 ? "healthy" : "late";
        int running = agent.running();
        return new AgentRow(r.name(), r.hostname(), r.architecture() == architecture ? "native" : "emulated",
                health, Times.ago(silent), agent.health().architectures().entrySet().stream()
                .map(e -> SelfCheck.of(e.getKey(), e.getValue())).toList(), quarantined.stream()
                .filter(q -> q.agentName().equals(r.name())).map(q -> q.architecture().goName() + " quarantined by "
                        + q.actor() + ": " + q.reason()).toList(), running, r.maxConcurrency(),
                100 * running / r.maxConcurrency(),
                r.kernel(), r.cpu(), r.agentVersion());
    }
}
