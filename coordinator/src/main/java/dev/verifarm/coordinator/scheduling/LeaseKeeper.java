package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.logging.LogContext;
import dev.verifarm.coordinator.metrics.FarmMetrics;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps leases honest. A lease lives while its agent heartbeats: each heartbeat pushes the expiry of the leases
 * the agent says it runs; a stream that ends pulls it in to a short grace, long enough for a reconnect to take
 * its leases back. Every coordinator sweeps the database for leases whose expiry or deadline has passed, so the
 * work of an agent, or of a whole coordinator, that died is requeued by whichever coordinator is still alive.
 */
@ApplicationScoped
public class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);
    private static final List<AttemptState> ACTIVE = List.of(AttemptState.LEASED, AttemptState.RUNNING);

    private final Fleet fleet;
    private final SchedulingLoop loop;
    private final Settlement settlement;
    private final Duration silenceLimit;
    private final Duration reconnectGrace;
    // An executor of its own rather than @Scheduled: the sweep runs every quarter of the reconnect grace (500 ms by
    // default, less in tests), finer than the one-second tick on which Quarkus's scheduler checks its triggers.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("verifarm-lease-sweep"));

    @Inject
    FarmMetrics metrics;

    @Inject
    LeaseKeeper(Fleet fleet, SchedulingLoop loop, Settlement settlement, CoordinatorConfig config) {
        this.fleet = fleet;
        this.loop = loop;
        this.settlement = settlement;
        this.silenceLimit = config.agent().silenceLimit();
        this.reconnectGrace = config.agent().reconnectGrace();
    }

    void start(@Observes StartupEvent startup) {
        long period = Math.max(100, Math.min(reconnectGrace.toMillis(), silenceLimit.toMillis()) / 4);
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        timer.shutdownNow();
    }

    /**
     * An agent reconnects under its old id: the leases it still holds in the database live on until its first
     * heartbeat says which of them it runs.
     */
    public Set<String> resume(String agentId, String agentName) {
        return loop.call(() -> {
            Set<String> held = new HashSet<>();
            for (AttemptEntity attempt : active(agentId)) {
                if (!attempt.agentName.equals(agentName)) {
                    continue;  // not this agent's: another one claims its id
                }
                attempt.expiresAt = Instant.now().plus(silenceLimit);
                held.add(attempt.leaseId);
            }
            return held;
        });
    }

    /**
     * An agent's heartbeat: renews the leases it says it runs and tells it, through {@code cancel}, to stop those
     * of them that are no longer its own (cancelled, timed out, or requeued while it was away). A lease it does
     * not list is not renewed, and expires if it never reached the agent. Queued without waiting, after what the
     * agent sent before.
     */
    public void heartbeat(ConnectedAgent agent, Collection<String> running, Consumer<String> cancel) {
        if (running.isEmpty() && agent.running() == 0) {
            return;  // idle, and known to be: nothing to renew or cancel, so no transaction for it
        }
        Set<String> runningIds = Set.copyOf(running);
        loop.submit(() -> {
            List<String> stale = renew(agent, runningIds);
            loop.afterCommit(() -> stale.forEach(cancel));
        });
    }

    /**
     * Bulk statements, not entities: a group of the scheduling loop must not hold an active attempt it loaded
     * without its job's lock (see {@link Settlement}), and only the expiry changes.
     */
    private List<String> renew(ConnectedAgent agent, Set<String> runningIds) {
        EntityManager em = AttemptEntity.getEntityManager();
        List<String> ours = em.createQuery("select a.leaseId from AttemptEntity a where a.agentId = ?1"
                        + " and a.state in ?2", String.class)
                .setParameter(1, agent.id()).setParameter(2, ACTIVE).getResultList();
        // the count is put right, not only added to: another coordinator may have ended one of them (its sweep
        // found it expired), and a change of this one that failed with its transaction may have left one counted
        agent.holdOnly(ours);
        List<String> renewed = ours.stream().filter(runningIds::contains).toList();
        if (!renewed.isEmpty()) {
            em.createQuery("update AttemptEntity a set a.expiresAt = ?1 where a.leaseId in ?2 and a.state in ?3")
                    .setParameter(1, Instant.now().plus(silenceLimit)).setParameter(2, renewed)
                    .setParameter(3, ACTIVE).executeUpdate();
        }
        return runningIds.stream().filter(id -> !ours.contains(id)).toList();
    }

    /** An agent's stream ended: its leases live on only for the reconnect grace. */
    void streamEnded(@Observes Fleet.FleetChanged change) {
        change.lost().ifPresent(agent -> loop.submit(() -> {
            Instant graceEnd = Instant.now().plus(reconnectGrace);
            AttemptEntity.getEntityManager().createQuery("update AttemptEntity a set a.expiresAt = ?1"
                            + " where a.agentId = ?2 and a.state in ?3 and a.expiresAt > ?1")
                    .setParameter(1, graceEnd).setParameter(2, agent.id()).setParameter(3, ACTIVE)
                    .executeUpdate();
        }));
    }

    /** Ends attempts whose lease expired (requeueing their jobs) or whose deadline passed (the job timed out). */
    private void sweep() {
        try {
            List<Runnable> cancels = new ArrayList<>();
            loop.call(() -> {
                Instant now = Instant.now();
                for (AttemptEntity attempt : AttemptEntity.<AttemptEntity>list(
                        "state in ?1 and (expiresAt < ?2 or deadlineAt < ?2)", ACTIVE, now)) {
                    if (attempt.deadlineAt != null && attempt.deadlineAt.isBefore(now)) {
                        if (expire(attempt, FailureKind.TIMEOUT, "it ran past its deadline " + attempt.deadlineAt)) {
                            fleet.find(attempt.agentId).ifPresent(agent -> cancels.add(() -> agent.channel()
                                    .cancel(attempt.leaseId, "the attempt timed out")));
                        }
                    } else {
                        expire(attempt, FailureKind.AGENT_LOST, "no heartbeat from " + attempt.agentName
                                + " renewed the lease");
                    }
                }
                return null;
            });
            cancels.forEach(Runnable::run);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the lease sweep failed; retrying at the next one");
        }
    }

    /** Ends {@code attempt} unless another coordinator already did; true if this call ended it. */
    private boolean expire(AttemptEntity attempt, FailureKind kind, String why) {
        JobEntity job = settlement.lock(attempt.jobId).orElseThrow();
        if (!Settlement.current(attempt).state.active()) {
            return false;
        }
        try (LogContext context = LogContext.lease(job.id, attempt.agentId, attempt.leaseId)) {
            LOG.warnf("attempt %d of job %s on %s expired (%s): %s", attempt.number, job.id, attempt.agentName, kind,
                    why);
        }
        settlement.fail(job, attempt, AttemptState.EXPIRED, kind, why);
        metrics.leaseExpired(kind.name().toLowerCase(Locale.ROOT));
        return true;
    }

    private static List<AttemptEntity> active(String agentId) {
        return AttemptEntity.list("agentId = ?1 and state in ?2", agentId, ACTIVE);
    }
}
