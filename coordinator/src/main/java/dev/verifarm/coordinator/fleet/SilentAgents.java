package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.logging.LogContext;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Takes agents that stopped heartbeating off the fleet. A host that freezes or loses its network keeps its
 * TCP connection half-open for minutes, so its stream never ends by itself; without this its leases would
 * wait for their expiry. Removing it from the fleet lets its leases expire at once (see LeaseKeeper).
 */
@ApplicationScoped
public class SilentAgents {
    private static final Logger LOG = Logger.getLogger(SilentAgents.class);

    private final Fleet fleet;
    private final Duration silenceLimit;
    private final Scheduler scheduler;

    SilentAgents(Fleet fleet, Scheduler scheduler, CoordinatorConfig config) {
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.silenceLimit = config.agent().silenceLimit();
    }

    /** Looks four times per silence limit; a job of Quarkus's scheduler, set up here as its period is derived. */
    void start(@Observes StartupEvent startup) {
        String period = Duration.ofMillis(Math.max(100, silenceLimit.toMillis() / 4)).toString();
        scheduler.newJob("verifarm-silent-agents").setInterval(period).setDelayed(period)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP).setTask(execution -> dropSilent())
                .schedule();
    }

    private void dropSilent() {
        Instant deadline = Instant.now().minus(silenceLimit);
        for (ConnectedAgent agent : fleet.agents()) {
            if (agent.lastHeartbeatAt().isBefore(deadline)) {
                String reason = "no heartbeat for over " + silenceLimit.toMillis() + " ms";
                try (LogContext context = LogContext.agent(agent.id())) {
                    LOG.warnf("agent %s lost: %s; requeueing its leases", agent, reason);
                }
                try {
                    fleet.disconnect(agent);
                    agent.channel().close(reason);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "could not drop silent agent %s", agent);
                }
            }
        }
    }
}
