package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agents connected to this coordinator right now. */
@ApplicationScoped
public class Fleet {
    private final Map<String, ConnectedAgent> agents = new ConcurrentHashMap<>();
    private final Event<FleetChanged> changes;
    @Inject
    Event<HealthReported> healthReports;

    @Inject
    Fleet(Event<FleetChanged> changes) {
        this.changes = changes;
    }

    /** Something about the fleet changed that may let queued work run, or strand running work. */
    public record FleetChanged(Optional<ConnectedAgent> lost) {
    }

    /** An agent reported its health: in its Register ({@code registered}) or a Heartbeat. */
    public record HealthReported(ConnectedAgent agent, boolean registered) {
    }

    /**
     * Adds an agent under an id it has already been told, so that no lease can reach it before its id. An agent
     * that reconnects under its old id still holds {@code heldLeases}, which count against its concurrency.
     */
    public ConnectedAgent register(String agentId, AgentRegistration registration, AgentHealth health,
                                   AgentChannel channel, Set<String> heldLeases) {
        ConnectedAgent agent = new ConnectedAgent(agentId, registration, health, channel, Instant.now());
        heldLeases.forEach(agent::hold);
        agents.put(agent.id(), agent);
        changes.fire(new FleetChanged(Optional.empty()));
        healthReports.fire(new HealthReported(agent, true));
        return agent;
    }

    /** A heartbeat carries the agent's health as of now, which replaces what it reported before. */
    public void heartbeat(String agentId, AgentHealth health) {
        find(agentId).ifPresent(a -> {
            a.heartbeat(Instant.now(), health);
            healthReports.fire(new HealthReported(a, false));
        });
    }

    /** Removes this connection of the agent; a newer connection under the same id stays. */
    public void disconnect(ConnectedAgent agent) {
        if (agents.remove(agent.id(), agent)) {
            changes.fire(new FleetChanged(Optional.of(agent)));
        }
    }

    /** The agent takes nothing new from now on. */
    public void drain(ConnectedAgent agent) {
        agent.drain();
        changes.fire(new FleetChanged(Optional.empty()));
    }

    public Optional<ConnectedAgent> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    /** Every connected agent, oldest connection first. */
    public List<ConnectedAgent> agents() {
        return agents.values().stream().sorted(Comparator.comparing(ConnectedAgent::connectedAt)
                .thenComparing(ConnectedAgent::id)).toList();
    }

    public List<ConnectedAgent> serving(Architecture architecture) {
        return agents().stream().filter(a -> a.serves(architecture)).toList();
    }
}
