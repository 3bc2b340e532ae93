package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.metrics.ArchitectureGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's self-check health as gauges: {@code verifarm_agents_health{architecture,state}}, the live agents
 * claiming an architecture by the state of their latest self-check for it, and {@code
 * verifarm_agents_quarantined{architecture}}, the agents (live or not) quarantined from it. Counted on the
 * gauges' interval from the database, so every coordinator reports the same; which agents they are is in
 * {@code GET /api/v1/agents}.
 */
@Startup
@ApplicationScoped
class AgentHealthGauges {
    private static final Logger LOG = Logger.getLogger(AgentHealthGauges.class);
    private final MeterRegistry registry;
    private final FleetView fleet;
    private final AdminQuarantines quarantines;
    private final Map<Health.State, ArchitectureGauge> states = new EnumMap<>(Health.State.class);
    private ArchitectureGauge quarantined;

    @Inject
    AgentHealthGauges(MeterRegistry registry, FleetView fleet, AdminQuarantines quarantines) {
        this.registry = registry;
        this.fleet = fleet;
        this.quarantines = quarantines;
    }

    @PostConstruct
    void register() {
        for (Health.State state : Health.State.values()) {
            states.put(state, ArchitectureGauge.register(registry, "verifarm.agents.health", "Live agents claiming an"
                    + " architecture, by the state of their latest self-check for it", Tags.of("state", state.name())));
        }
        quarantined = ArchitectureGauge.register(registry, "verifarm.agents.quarantined",
                "Agents quarantined from an architecture's work, connected or not");
    }

    @Scheduled(every = "${verifarm.metrics.queue-refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            count(fleet.agents());
        } catch (RuntimeException e) {
            LOG.warnf("cannot count the agents for verifarm_agents_health and _quarantined: %s", e.getMessage());
        }
    }

    private void count(List<FleetMember> live) {
        states.forEach((state, gauge) -> gauge.set(architecture -> live.stream()
                .filter(a -> a.health().architectures().getOrDefault(architecture, Health.UNKNOWN).state() == state
                        && (a.serves(architecture) || a.health().architectures().containsKey(architecture)))
                .count()));
        List<Quarantine> now = quarantines.current();
        quarantined.set(architecture -> now.stream().filter(q -> q.architecture() == architecture).count());
    }
}
