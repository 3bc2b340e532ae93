package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;

import java.time.Instant;

/**
 * One live agent of the whole fleet, as the database knows it, whichever coordinator it is connected to.
 *
 * @param coordinatorId   the coordinator that holds its stream
 * @param lastHeartbeatAt its last heartbeat as that coordinator last recorded it
 * @param health          its health as of that heartbeat
 */
public record FleetMember(String id, AgentRegistration registration, AgentHealth health, String coordinatorId,
                          Instant connectedAt, Instant lastHeartbeatAt, int running, boolean draining) {

    public boolean serves(Architecture architecture) {
        return registration.serves().contains(architecture);
    }

    public String name() {
        return registration.name();
    }
}
