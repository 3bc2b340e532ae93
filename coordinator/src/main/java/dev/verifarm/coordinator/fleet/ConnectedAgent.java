package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An agent with a live stream, and the leases it holds. */
public final class ConnectedAgent {
    private final String id;
    private final AgentRegistration registration;
    private final AgentChannel channel;
    private final Instant connectedAt;
    private final Set<String> leases = ConcurrentHashMap.newKeySet();
    private volatile Instant lastHeartbeatAt;
    private volatile boolean draining;
    private volatile AgentHealth health;

    ConnectedAgent(String id, AgentRegistration registration, AgentHealth health, AgentChannel channel,
                   Instant connectedAt) {
        this.id = id;
        this.registration = registration;
        this.health = health;
        this.channel = channel;
        this.connectedAt = connectedAt;
        this.lastHeartbeatAt = connectedAt;
    }

    public String id() {
        return id;
    }

    public AgentRegistration registration() {
        return registration;
    }

    public AgentChannel channel() {
        return channel;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public Instant lastHeartbeatAt() {
        return lastHeartbeatAt;
    }

    /** Its health as of its latest Register or Heartbeat. */
    public AgentHealth health() {
        return health;
    }

    void heartbeat(Instant at, AgentHealth health) {
        lastHeartbeatAt = at;
        this.health = health;
    }

    /** A draining agent finishes what it holds and is given nothing new. */
    public boolean draining() {
        return draining;
    }

    void drain() {
        draining = true;
    }

    public boolean serves(Architecture architecture) {
        return registration.serves().contains(architecture);
    }

    public int running() {
        return leases.size();
    }

    public int freeSlots() {
        return registration.maxConcurrency() - leases.size();
    }

    public void hold(String leaseId) {
        leases.add(leaseId);
    }

    public void release(String leaseId) {
        leases.remove(leaseId);
    }

    /** Holds exactly {@code leaseIds}: the leases the database says the agent holds. */
    public void holdOnly(Collection<String> leaseIds) {
        leases.retainAll(leaseIds);
        leases.addAll(leaseIds);
    }

    @Override
    public String toString() {
        return registration.name() + " (" + registration.architecture()
                + (registration.serves().equals(Set.of(registration.architecture())) ? ""
                : ", serves " + registration.serves()) + ")";
    }
}
