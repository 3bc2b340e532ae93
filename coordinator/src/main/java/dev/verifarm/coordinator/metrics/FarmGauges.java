package dev.verifarm.coordinator.metrics;

import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.store.JobEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The farm's state as gauges, one series per architecture: {@code verifarm_queue_depth} (queued jobs) and
 * {@code verifarm_agents_connected} (live agents that serve the architecture, natively or through qemu-user),
 * both from the database, so every coordinator sharing it reports the same queue and the same fleet. They are
 * counted on a timer of their own rather than in the scrape, which must not wait on the database.
 */
@Startup
@ApplicationScoped
public class FarmGauges {
    private static final Logger LOG = Logger.getLogger(FarmGauges.class);

    private final MeterRegistry registry;
    private final FleetView fleet;
    private ArchitectureGauge queued;
    private ArchitectureGauge agents;

    FarmGauges(MeterRegistry registry, FleetView fleet) {
        this.registry = registry;
        this.fleet = fleet;
    }

    @PostConstruct
    void register() {
        queued = ArchitectureGauge.register(registry, "verifarm.queue.depth",
                "Jobs queued for an architecture, waiting for an agent");
        agents = ArchitectureGauge.register(registry, "verifarm.agents.connected",
                "Live agents of the whole fleet that serve an architecture, each counted once");
    }

    @Scheduled(every = "${verifarm.metrics.queue-refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void count() {
        countQueue();
        try {
            List<FleetMember> live = fleet.agents();
            agents.set(architecture -> live.stream().filter(a -> a.serves(architecture)).count());
        } catch (RuntimeException e) {
            LOG.warnf("cannot count the agents for verifarm_agents_connected: %s", e.getMessage());
        }
    }

    private void countQueue() {
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> JobEntity.getEntityManager()
                    .createQuery("select j.architecture, count(j) from JobEntity j where j.state = :state"
                            + " group by j.architecture", Object[].class)
                    .setParameter("state", JobState.QUEUED).getResultList());
            Map<Architecture, Long> counts = new EnumMap<>(Architecture.class);
            rows.forEach(row -> counts.put((Architecture) row[0], (Long) row[1]));
            queued.set(architecture -> counts.getOrDefault(architecture, 0L));
        } catch (RuntimeException e) {
            // the readiness check reports an unreachable database; the gauge keeps its last value meanwhile
            LOG.warnf("cannot count the queue for verifarm_queue_depth: %s", e.getMessage());
        }
    }
}
