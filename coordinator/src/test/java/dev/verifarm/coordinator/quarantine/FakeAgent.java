package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.AgentChannel;
import dev.verifarm.coordinator.fleet.AgentHealth;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Lease;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An agent at the edge of the coordinator: registered in its fleet with a channel that keeps what the coordinator
 * sends, so a test sees every lease and self-check request. It serves arm64 and reads host paths, with slots to
 * spare for the jobs other test classes left queued, which it holds and never answers.
 */
final class FakeAgent implements AgentChannel {
    private final BlockingQueue<Lease> leases = new LinkedBlockingQueue<>();
    final List<Architecture> selfChecksAsked = new CopyOnWriteArrayList<>();
    final String id = UUID.randomUUID().toString();
    final String name;
    private final Fleet fleet;
    private ConnectedAgent connection;
    private volatile Health arm64;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    private FakeAgent(Fleet fleet, String name) {
        this.fleet = fleet;
        this.name = name;
    }

    /** Registered with arm64 as healthy as {@code arm64}. */
    static FakeAgent register(Fleet fleet, String name, Health arm64) {
        FakeAgent agent = new FakeAgent(fleet, name);
        agent.arm64 = arm64;
        agent.connection = fleet.register(agent.id, new AgentRegistration(name, name, Architecture.ARM64, "6.1",
                        "cpu", true, Set.of(), Set.of(Architecture.ARM64), 64, "test", true), health(arm64), agent,
                Set.of());
        // as a real agent does, or the coordinator drops it as silent
        agent.heartbeats.scheduleWithFixedDelay(() -> fleet.heartbeat(agent.id, health(agent.arm64)), 1, 1,
                TimeUnit.SECONDS);
        return agent;
    }

    static Health healthy(Instant at) {
        return new Health(Health.State.HEALTHY, "", "", Optional.of(at));
    }

    static Health unhealthy(Instant at, String reason) {
        return new Health(Health.State.UNHEALTHY, "native resolve main.addrOfMemcpyish=main.memcpyish", reason,
                Optional.of(at));
    }

    /** Its health from now on, reported at once. */
    void heartbeat(Health arm64) {
        this.arm64 = arm64;
        fleet.heartbeat(id, health(arm64));
    }

    void disconnect() {
        heartbeats.shutdownNow();
        fleet.disconnect(connection);
    }

    /** The next lease sent to this agent for {@code jobId}, within {@code wait}. */
    Optional<Lease> nextLease(String jobId, Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            Lease lease = leases.poll(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
            if (lease != null && lease.jobId().equals(jobId)) {
                return Optional.of(lease);
            }
        }
        return Optional.empty();
    }

    private static AgentHealth health(Health arm64) {
        Map<Architecture, Health> architectures = new EnumMap<>(Architecture.class);
        architectures.put(Architecture.ARM64, arm64);
        return new AgentHealth(architectures, Health.UNKNOWN);
    }

    @Override
    public void lease(Lease lease) {
        leases.add(lease);
    }

    @Override
    public void cancel(String leaseId, String reason) {
    }

    @Override
    public void selfCheck(Architecture architecture, String reason) {
        selfChecksAsked.add(architecture);
    }

    @Override
    public void close(String reason) {
    }
}
