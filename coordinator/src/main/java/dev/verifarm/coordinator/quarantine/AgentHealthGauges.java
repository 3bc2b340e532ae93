package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet's self-check health as gauges: {@code verifarm_agents_health{architecture,state}}, the live agents
 * claiming an architecture by the state of their latest self-check for it, and {@code
 * verifarm_agents_quarantined{architecture}}, the agents (live or not) quarantined from it. Counted on the
 * gauges' interval from the database, so every coordinator reports the same; which agents they are is in
 * {@code GET /api/v1/agents}.
 */
@ApplicationScoped
class AgentHealthGauges {
    private static final Logger LOG = Logger.getLogger(AgentHealthGauges.class);
    private final MeterRegistry registry;
    private final FleetView fleet;
    private final AdminQuarantines quarantines;
    private final Map<Architecture, Map<Health.State, AtomicLong>> states = new EnumMap<>(Architecture.class);
    private final Map<Architecture, AtomicLong> quarantined = new EnumMap<>(Architecture.class);

    @Inject
    AgentHealthGauges(MeterRegistry registry, FleetView fleet, AdminQuarantines quarantines) {
        this.registry = registry;
        this.fleet = fleet;
        this.quarantines = quarantines;
    }

    void start(@Observes StartupEvent startup) {
        for (Architecture architecture : Architecture.values()) {
            Map<Health.State, AtomicLong> byState = new EnumMap<>(Health.State.class);
            for (Health.State state : Health.State.values()) {
                AtomicLong count = new AtomicLong();
                byState.put(state, count);
                Gauge.builder("verifarm.agents.health", count, AtomicLong::get)
                        .description("Live agents claiming an architecture, by the state of their latest self-check"
                                + " for it")
                        .tag("architecture", architecture.goName())
                        .tag("state", state.name())
                        .register(registry);
            }
            states.put(architecture, byState);
            AtomicLong count = new AtomicLong();
            quarantined.put(architecture, count);
            Gauge.builder("verifarm.agents.quarantined", count, AtomicLong::get)
                    .description("Agents quarantined from an architecture's work, connected or not")
                    .tag("architecture", architecture.goName())
                    .register(registry);
        }
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
        states.forEach((architecture, byState) -> byState.forEach((state, count) -> count.set(live.stream()
                .filter(a -> a.health().architectures().getOrDefault(architecture, Health.UNKNOWN).state() == state
                        && (a.serves(architecture) || a.health().architectures().containsKey(architecture)))
                .count())));
        List<Quarantine> now = quarantines.current();
        quarantined.forEach((architecture, count) -> count.set(now.stream()
                .filter(q -> q.architecture() == architecture).count()));
    }
}
