package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The agents a run fans out to: the live agents of the whole fleet, whichever coordinator each is connected to,
 * so a run started by any coordinator covers the same hosts. The one place the nightly package asks the fleet.
 */
@ApplicationScoped
public class LiveAgents {
    private final FleetView fleet;

    @Inject
    LiveAgents(FleetView fleet) {
        this.fleet = fleet;
    }

    /** A live agent, by its name and its own (native) architecture. */
    public record Agent(String name, Architecture architecture) {
    }

    /** One per agent name (see {@link FleetView#agents()}): an agent that reconnected is still one host. */
    public List<Agent> serving(Architecture architecture) {
        return fleet.serving(architecture).stream()
                .map((FleetMember a) -> new Agent(a.name(), a.registration().architecture())).toList();
    }
}
