package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.logging.LogContext;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("verifarm-silent-agents"));

    SilentAgents(Fleet fleet, @ConfigProperty(name = "verifarm.agent.silence-limit") Duration silenceLimit) {
        this.fleet = fleet;
        this.silenceLimit = silenceLimit;
    }

    void start(@Observes StartupEvent startup) {
        long period = Math.max(100, silenceLimit.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::dropSilent, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        timer.shutdownNow();
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
