package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.artifact.Architecture;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.metrics.FarmMetrics;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.JobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Places queued jobs on agents of their architecture: the highest priority first, then the oldest, each on the
 * agent with the most free slots (a fleet-wide job on every agent serving its architecture). A job that cannot be
 * placed stays queued and says why.
 */
@ApplicationScoped
public class Dispatcher {
    private static final int BATCH = 500;

    private final Fleet fleet;
    private final JobEvents events;
    private final SchedulingLoop loop;
    private final Duration leaseTimeout;
    private final AtomicBoolean pending = new AtomicBoolean();

    @Inject
    FarmMetrics metrics;

    @Inject
    Dispatcher(Fleet fleet, JobEvents events, SchedulingLoop loop,
               @ConfigProperty(name = "verifarm.lease.timeout") Duration leaseTimeout) {
        this.fleet = fleet;
        this.events = events;
        this.loop = loop;
        this.leaseTimeout = leaseTimeout;
    }

    /** Asks for a dispatch round; rounds asked for while one is pending coalesce into it. */
    public void poke() {
        if (pending.compareAndSet(false, true)) {
            loop.execute(this::round);
        }
    }

    /** A queued job may be placeable; a finished one has freed a slot. */
    void onJobChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent event) {
        if (event.state() == JobState.QUEUED || event.state().terminal()) {
            poke();
        }
    }

    void onFleetChanged(@Observes Fleet.FleetChanged change) {
        poke();
    }

    private void round() {
        pending.set(false);
        List<Placement> placed = QuarkusTransaction.requiringNew().call(this::place);
        placed.forEach(p -> p.agent().channel().lease(p.lease()));
    }

    private record Placement(ConnectedAgent agent, Lease lease) {
    }

    private List<Placement> place() {
        List<Placement> placed = new ArrayList<>();
        List<JobEntity> queued = JobEntity.<JobEntity>find("state = ?1 order by priority desc, submittedAt asc",
                JobState.QUEUED).page(0, BATCH).list();
        for (JobEntity job : queued) {
            List<ConnectedAgent> serving = fleet.serving(job.architecture);
            List<ConnectedAgent> chosen = job.fleetWide ? serving
                    : serving.stream().filter(a -> a.freeSlots() > 0)
                    .max(Comparator.comparingInt(ConnectedAgent::freeSlots)).stream().toList();
            if (chosen.isEmpty()) {
                String why = waitingReason(job.architecture, serving);
                if (!why.equals(job.status)) {
                    job.status = why;
                    events.record(job, why);
                }
                continue;
            }
            for (ConnectedAgent agent : chosen) {
                placed.add(new Placement(agent, lease(job, agent)));
            }
            job.state = JobState.LEASED;
            job.status = "leased to " + chosen.stream().map(ConnectedAgent::toString)
                    .collect(Collectors.joining(", "));
            events.record(job, job.status);
        }
        return placed;
    }

    private Lease lease(JobEntity job, ConnectedAgent agent) {
        Integer last = AttemptEntity.find("select max(a.number) from AttemptEntity a where a.jobId = ?1", job.id)
                .project(Integer.class).firstResult();
        AttemptEntity attempt = new AttemptEntity();
        attempt.jobId = job.id;
        attempt.number = last == null ? 1 : last + 1;
        attempt.leaseId = UUID.randomUUID().toString();
        attempt.agentId = agent.id();
        attempt.agentName = agent.registration().name();
        attempt.state = AttemptState.LEASED;
        attempt.leasedAt = Instant.now();
        attempt.expiresAt = attempt.leasedAt.plus(leaseTimeout);
        attempt.persist();
        agent.hold(attempt.leaseId);
        metrics.leased(job.architecture, job.submittedAt);
        ArtifactSource source = job.artifactSha256 != null
                ? new ArtifactSource.Uploaded(job.artifactSha256) : new ArtifactSource.HostPath(job.hostPath);
        return new Lease(attempt.leaseId, job.id, attempt.number, source, job.architecture,
                ExpectationCodec.decode(job.expectations), job.mode, job.discover, attempt.expiresAt);
    }

    /** Why a job of {@code architecture} waits: no agent serves it, or all that do are busy. */
    private String waitingReason(Architecture architecture, List<ConnectedAgent> serving) {
        if (!serving.isEmpty()) {
            return "waiting for a free slot: all " + serving.size() + " agent(s) serving " + architecture
                    + " are busy";
        }
        List<ConnectedAgent> all = fleet.agents();
        return "waiting for an agent serving " + architecture + "; agents present: "
                + (all.isEmpty() ? "none" : all.stream().map(ConnectedAgent::toString)
                .collect(Collectors.joining(", ")));
    }

    /** The agent an attempt was leased to, while it is still connected. */
    Optional<ConnectedAgent> holder(AttemptEntity attempt) {
        return fleet.find(attempt.agentId);
    }
}
