package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.scheduling.SchedulingLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Acts on what agents report of their self-checks. A self-check that fails where the last one passed quarantines
 * the agent for that architecture and makes its results since the passing one suspect; one that passes lifts an
 * automatic quarantine that began before it. An agent that registers while automatically quarantined is asked to
 * check itself at once. Heartbeats repeat the same health; only a change (or a registration) costs a transaction.
 * What an agent last reported is kept by name, so a regression is seen across its re-registrations.
 */
@ApplicationScoped
class HealthWatch {
    private final SchedulingLoop loop;
    private final Quarantines quarantines;
    private final SuspectResults suspects;
    private final Map<Key, Health> seen = new ConcurrentHashMap<>();

    private record Key(String agentName, Architecture architecture) {
    }

    @Inject
    HealthWatch(SchedulingLoop loop, Quarantines quarantines, SuspectResults suspects) {
        this.loop = loop;
        this.quarantines = quarantines;
        this.suspects = suspects;
    }

    void onHealth(@Observes Fleet.HealthReported report) {
        ConnectedAgent agent = report.agent();
        String name = agent.registration().name();
        agent.health().architectures().forEach((architecture, health) -> {
            Health before = seen.put(new Key(name, architecture), health);
            if (report.registered() || !health.equals(before)) {
                loop.submit(() -> changed(agent, architecture, Optional.ofNullable(before), health,
                        report.registered()));
            }
        });
    }

    private void changed(ConnectedAgent agent, Architecture architecture, Optional<Health> before, Health now,
                         boolean registered) {
        String name = agent.registration().name();
        if (now.state() == Health.State.HEALTHY && now.checkedAt().isPresent()) {
            quarantines.selfCheckPassed(name, architecture, now.checkedAt().get());
        } else if (now.state() == Health.State.UNHEALTHY
                && before.filter(b -> b.state() == Health.State.HEALTHY).isPresent()) {
            Instant passed = before.get().checkedAt().orElse(agent.connectedAt());
            quarantines.automatically(name, architecture, "its self-check for " + architecture + " failed at "
                    + now.checkedAt().map(Instant::toString).orElse("an unknown time") + " after passing at "
                    + passed + ": " + (now.check().isEmpty() ? "" : now.check() + ": ") + now.reason());
            suspects.selfCheckFailed(name, architecture, passed, now);
        }
        if (registered) {
            // quarantined while it was away: it re-proves itself now rather than at its next interval
            quarantines.find(name, architecture).filter(Quarantine::automatic).ifPresent(q -> loop.afterCommit(() ->
                    agent.channel().selfCheck(architecture, "quarantined: " + q.reason())));
        }
    }
}
