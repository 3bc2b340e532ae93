package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.JobEvent;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.Lease;
import dev.verifarm.coordinator.metrics.FarmMetrics;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.store.TimeOrderedIds;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.FlushModeType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Places queued jobs on agents of their architecture: the highest priority first, then the oldest, each on the
 * agent with the most free slots (a fleet-wide job on each of its targets connected here: see {@link
 * FleetWideTargets}). A job that cannot be placed stays queued and says why.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private final Fleet fleet;
    private final JobEvents events;
    private final SchedulingLoop loop;
    private final Duration silenceLimit;
    private final AtomicBoolean pending = new AtomicBoolean();
    /**
     * Whether a round looks for fleet-wide targets: looking costs a query and most rounds find none. Set by the
     * poll, by fleet changes and fleet-wide submissions here, and while the last look found some.
     */
    private final AtomicBoolean fleetWideDue = new AtomicBoolean(true);

    @Inject
    FarmMetrics metrics;
    @Inject
    WaitingJobs waiting;
    @Inject
    FleetWideTargets targets;
    @Inject
    Admission admission;

    @Inject
    Dispatcher(Fleet fleet, JobEvents events, SchedulingLoop loop, CoordinatorConfig config) {
        this.fleet = fleet;
        this.events = events;
        this.loop = loop;
        this.silenceLimit = config.agent().silenceLimit();
    }

    /**
     * Jobs are placed as they change and agents come and go; a round now and then places what those missed, among
     * them the fleet-wide targets another coordinator's submission gave agents here.
     */
    @Scheduled(every = "${verifarm.dispatch.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        fleetWideDue.set(true);
        poke();
    }

    /** A fleet-wide job submitted here has targets: the next round looks for them. */
    void fleetWideQueued() {
        fleetWideDue.set(true);
        poke();
    }

    /**
     * Asks for a dispatch round; rounds asked for while one is pending coalesce into it. A round is a change of
     * the scheduling loop like an agent's message, so it commits with the messages queued beside it: a commit less.
     */
    public void poke() {
        if (pending.compareAndSet(false, true)) {
            loop.submit(this::round);
        }
    }

    /** A queued job may be placeable; a finished one has freed a slot. */
    void onJobChanged(@Observes JobEvent event) {
        if (event.state() == JobState.QUEUED || event.state().terminal()) {
            poke();
        }
    }

    void onFleetChanged(@Observes Fleet.FleetChanged change) {
        fleetWideDue.set(true);
        poke();
    }

    /**
     * A round that fails (a lost database connection, a deadlock) placed nothing; the next poll tries again. The
     * leases go out once it has committed. The jobs left waiting are told why after that, in transactions of their
     * own: the rows they lock are then not held while other coordinators claim jobs.
     */
    private void round() {
        pending.set(false);
        Placed round = place();
        loop.afterCommit(() -> {
            round.leases().forEach(p -> p.agent().channel().lease(p.lease()));
            if (!round.toTell().isEmpty()) {
                loop.execute(() -> tell(round.toTell()));
            }
        });
    }

    private void tell(List<WaitingJobs.Reasons> reasons) {
        try {
            waiting.tell(reasons);
        } catch (RuntimeException e) {
            LOG.warnf(e, "telling waiting jobs why they wait failed; the next round tells them");
        }
    }

    private record Placement(ConnectedAgent agent, Lease lease) {
    }

    /** A round's leases, and what to tell the jobs it left waiting. */
    private record Placed(List<Placement> leases, List<WaitingJobs.Reasons> toTell) {
    }

    /**
     * Per architecture: claims as many queued jobs as this coordinator's agents serving it have free slots, and
     * leases them. Host-path jobs go first and only to agents whose operator named directories they may read them
     * under, so they take those agents' slots before jobs any agent can run.
     */
    private Placed place() {
        List<Placement> placed = new ArrayList<>();
        List<WaitingJobs.Reasons> toTell = new ArrayList<>();
        boolean fleetWide = fleetWideDue.getAndSet(false);
        for (Architecture architecture : Architecture.values()) {
            List<ConnectedAgent> agents = admission.admitted(architecture, fleet.serving(architecture)).stream()
                    .filter(a -> !a.draining()).toList();
            placed.addAll(placeQueued(architecture, agents.stream().filter(a -> a.registration().hostPaths())
                    .toList(), true));
            placed.addAll(placeQueued(architecture, agents, false));
            if (fleetWide) {
                placed.addAll(placeFleetWide(architecture, agents));
            }
            waiting.toTell(architecture, agents).ifPresent(toTell::add);
        }
        return new Placed(placed, toTell);
    }

    /** The queued jobs of one architecture, host-path ones or the others, leased to {@code agents}. */
    private List<Placement> placeQueued(Architecture architecture, List<ConnectedAgent> agents, boolean hostPaths) {
        List<Placement> placed = new ArrayList<>();
        int free = agents.stream().mapToInt(a -> Math.max(0, a.freeSlots())).sum();
        for (JobEntity job : free > 0 ? claimQueued(architecture, free, agents, hostPaths) : List.<JobEntity>of()) {
            agents.stream()
                    .filter(a -> job.pinnedAgent == null || a.registration().name().equals(job.pinnedAgent))
                    .filter(a -> a.freeSlots() > 0)
                    .max(Comparator.comparingInt(ConnectedAgent::freeSlots))
                    .ifPresent(agent -> {
                        placed.add(new Placement(agent, lease(job, agent)));
                        leased(job, List.of(agent));
                    });
        }
        return placed;
    }

    /**
     * Leases the fleet-wide jobs' targets whose agents are connected here, one attempt each; the job stays leased
     * or running until every target has run, wherever its agent is connected.
     */
    private List<Placement> placeFleetWide(Architecture architecture, List<ConnectedAgent> serving) {
        Map<String, ConnectedAgent> free = serving.stream().filter(a -> a.freeSlots() > 0)
                .collect(Collectors.toMap(a -> a.registration().name(), a -> a, (older, newer) -> newer));
        List<Placement> placed = new ArrayList<>();
        List<JobEntity> claimed = free.isEmpty() ? List.of() : targets.claim(architecture, free.keySet());
        if (!claimed.isEmpty()) {
            fleetWideDue.set(true);  // more may wait for slots
        }
        for (JobEntity job : claimed) {
            List<ConnectedAgent> chosen = targets.unleased(job.id, free.keySet()).stream().map(free::get).toList();
            for (ConnectedAgent agent : chosen) {
                Lease lease = lease(job, agent);
                targets.leased(job.id, agent.registration().name(), lease.leaseId());
                placed.add(new Placement(agent, lease));
            }
            leased(job, chosen);
        }
        return placed;
    }

    /** A fleet-wide job already running on some of its targets stays running. */
    private void leased(JobEntity job, List<ConnectedAgent> to) {
        if (job.state == JobState.QUEUED) {
            job.state = JobState.LEASED;
        }
        job.status = "leased to " + to.stream().map(ConnectedAgent::toString).collect(Collectors.joining(", "));
        events.record(job, job.status);
    }

    /**
     * Up to {@code limit} queued jobs of {@code architecture}, host-path ones or the others, highest priority and
     * oldest first, locked: rows
     * another coordinator is placing right now are skipped rather than waited for, so no job is leased twice.
     */
    @SuppressWarnings("unchecked")
    private static List<JobEntity> claimQueued(Architecture architecture, int limit, List<ConnectedAgent> serving,
                                               boolean hostPaths) {
        List<String> names = serving.stream().filter(a -> a.freeSlots() > 0).map(a -> a.registration().name())
                .toList();
        // the rows themselves, in the one statement that locks them; without flushing the group's changes first,
        // which a native query does by default: the rows it wants are committed queued ones
        List<JobEntity> claimed = JobEntity.getEntityManager().createNativeQuery(
                        "select * from job where state = 'QUEUED' and not fleet_wide and architecture = ?1"
                                + " and host_path is " + (hostPaths ? "not null" : "null")
                                + " and (pinned_agent is null or pinned_agent in (?2))"
                                + " order by priority desc, submitted_at asc limit " + limit
                                + " for update skip locked", JobEntity.class)
                .setParameter(1, architecture.name())
                .setParameter(2, names)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        // a job this transaction already leased comes back (its own lock does not skip it) as it is in memory
        return claimed.stream().filter(job -> job.state == JobState.QUEUED).toList();
    }

    /** A new attempt of {@code job} on {@code agent}, numbered on from the job's last. */
    private Lease lease(JobEntity job, ConnectedAgent agent) {
        AttemptEntity attempt = new AttemptEntity();
        attempt.jobId = job.id;
        attempt.number = ++job.lastAttempt;
        attempt.leaseId = TimeOrderedIds.next();
        attempt.agentId = agent.id();
        attempt.agentName = agent.registration().name();
        attempt.state = AttemptState.LEASED;
        attempt.leasedAt = Instant.now();
        attempt.expiresAt = attempt.leasedAt.plus(silenceLimit);
        attempt.deadlineAt = attempt.leasedAt.plusMillis(job.timeoutMillis);
        attempt.persist();
        agent.hold(attempt.leaseId);  // at once: the round's later placements count this slot taken
        loop.afterRollback(() -> agent.release(attempt.leaseId));
        metrics.leased(job.architecture, job.submittedAt);
        ArtifactSource source = job.artifactSha256 != null
                ? new ArtifactSource.Uploaded(job.artifactSha256) : new ArtifactSource.HostPath(job.hostPath);
        return new Lease(attempt.leaseId, job.id, attempt.number, source, job.architecture,
                ExpectationCodec.decode(job.expectations), job.mode, job.discover, attempt.deadlineAt, job.hazards);
    }
}
