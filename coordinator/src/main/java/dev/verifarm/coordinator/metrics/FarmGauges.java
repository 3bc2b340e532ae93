package dev.verifarm.coordinator.metrics;

import dev.verifarm.coordinator.artifact.Architecture;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.scheduling.JobState;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The farm's state as gauges, one series per architecture: {@code verifarm_queue_depth} (queued jobs) and
 * {@code verifarm_agents_connected} (live agents that serve the architecture, natively or through qemu-user),
 * both from the database, so every coordinator sharing it reports the same queue and the same fleet. They are
 * counted on a timer of their own rather than in the scrape, which must not wait on the database.
 */
@ApplicationScoped
public class FarmGauges {
    private static final Logger LOG = Logger.getLogger(FarmGauges.class);

    private final MeterRegistry registry;
    private final FleetView fleet;
    private final Duration refreshInterval;
    private final Map<Architecture, AtomicLong> queued = new EnumMap<>(Architecture.class);
    private final Map<Architecture, AtomicLong> agents = new EnumMap<>(Architecture.class);
    @Inject
    AgentHealthGauges health;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("verifarm-queue-gauge"));

    FarmGauges(MeterRegistry registry, FleetView fleet,
               @ConfigProperty(name = "verifarm.metrics.queue-refresh-interval") Duration refreshInterval) {
        this.registry = registry;
        this.fleet = fleet;
        this.refreshInterval = refreshInterval;
    }

    void start(@Observes StartupEvent startup) {
        for (Architecture architecture : Architecture.values()) {
            AtomicLong depth = new AtomicLong();
            queued.put(architecture, depth);
            Gauge.builder("verifarm.queue.depth", depth, AtomicLong::get)
                    .description("Jobs queued for an architecture, waiting for an agent")
                    .tag("architecture", architecture.goName())
                    .register(registry);
            AtomicLong serving = new AtomicLong();
            agents.put(architecture, serving);
            Gauge.builder("verifarm.agents.connected", serving, AtomicLong::get)
                    .description("Live agents of the whole fleet that serve an architecture, each counted once")
                    .tag("architecture", architecture.goName())
                    .register(registry);
        }
        timer.scheduleWithFixedDelay(this::count, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        timer.shutdownNow();
    }

    private void count() {
        countQueue();
        try {
            List<FleetMember> live = fleet.agents();
            agents.forEach((architecture, count) -> count.set(live.stream().filter(a -> a.serves(architecture))
                    .count()));
            health.count(live);
        } catch (RuntimeException e) {
            LOG.warnf("cannot count the agents for verifarm_agents_connected and _health: %s", e.getMessage());
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
            queued.forEach((architecture, depth) -> depth.set(counts.getOrDefault(architecture, 0L)));
        } catch (RuntimeException e) {
            // the readiness check reports an unreachable database; the gauge keeps its last value meanwhile
            LOG.warnf("cannot count the queue for verifarm_queue_depth: %s", e.getMessage());
        }
    }
}
