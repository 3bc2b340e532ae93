package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.AgentHealth;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.scheduling.Admission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps an architecture's work from agents whose latest self-check for it failed or that are quarantined from it.
 * The agent already stops serving an architecture it finds unhealthy; the coordinator checks again so that an agent
 * that does not (an older one, or one whose check it no longer trusts) still gets none.
 */
@ApplicationScoped
class LeaseGate implements Admission {
    private final Quarantines quarantines;
    private final Fleet fleet;

    @Inject
    LeaseGate(Quarantines quarantines, Fleet fleet) {
        this.quarantines = quarantines;
        this.fleet = fleet;
    }

    @Override
    public List<ConnectedAgent> admitted(Architecture architecture, List<ConnectedAgent> serving) {
        if (serving.isEmpty()) {
            return serving;
        }
        Map<String, Quarantine> quarantined = byName(architecture);
        return serving.stream().filter(a -> !unhealthy(a.health(), architecture)
                && !quarantined.containsKey(a.registration().name())).toList();
    }

    /**
     * From the agents connected here, read every dispatch round without a database query when none claims the
     * architecture: a coordinator whose agents claim it explains its jobs (they see the same queue).
     */
    @Override
    public Optional<String> whyNoneAdmitted(Architecture architecture) {
        List<ConnectedAgent> claiming = fleet.agents().stream().filter(a -> a.serves(architecture)
                || a.health().architectures().containsKey(architecture)).toList();
        if (claiming.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Quarantine> quarantined = byName(architecture);
        List<String> kept = new ArrayList<>();
        for (ConnectedAgent agent : claiming) {
            String name = agent.registration().name();
            Optional<String> why = Optional.ofNullable(quarantined.get(name))
                    .map(q -> name + " is quarantined (" + q.reason() + ")")
                    .or(() -> unhealthy(agent.health(), architecture) ? Optional.of(name + " is unhealthy ("
                            + explanation(agent.health().architectures().get(architecture)) + ")") : Optional.empty())
                    .or(() -> agent.draining() ? Optional.of(name + " is draining") : Optional.empty());
            if (why.isEmpty()) {
                return Optional.empty();  // it may take the work: the job waits for a slot or for its lease
            }
            kept.add(why.get());
        }
        if (kept.stream().allMatch(k -> k.endsWith(" is draining"))) {
            return Optional.empty();
        }
        return Optional.of("waiting for a healthy agent serving " + architecture + ": " + String.join(", ", kept));
    }

    private Map<String, Quarantine> byName(Architecture architecture) {
        return quarantines.of(architecture).stream().collect(Collectors.toMap(Quarantine::agentName,
                Function.identity()));
    }

    private static boolean unhealthy(AgentHealth health, Architecture architecture) {
        Health h = health.architectures().get(architecture);
        return h != null && h.state() == Health.State.UNHEALTHY;
    }

    private static String explanation(Health health) {
        return health.check().isEmpty() ? health.reason() : health.check() + ": " + health.reason();
    }
}
