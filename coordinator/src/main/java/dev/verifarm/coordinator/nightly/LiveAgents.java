package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.artifact.Architecture;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The agents a run fans out to. The one place the nightly package asks the fleet, so that a view of the agents of
 * every coordinator sharing the database can replace this coordinator's own.
 */
@ApplicationScoped
public class LiveAgents {
    private final Fleet fleet;

    @Inject
    LiveAgents(Fleet fleet) {
        this.fleet = fleet;
    }

    /** A live agent, by its name and its own (native) architecture. */
    public record Agent(String name, Architecture architecture) {
    }

    /** One per agent name: an agent that reconnected is still one host. */
    public List<Agent> serving(Architecture architecture) {
        return fleet.serving(architecture).stream()
                .map((ConnectedAgent a) -> new Agent(a.registration().name(), a.registration().architecture()))
                .distinct().toList();
    }
}
