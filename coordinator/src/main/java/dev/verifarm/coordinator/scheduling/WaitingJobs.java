package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.JobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tells the queued jobs of an architecture why they wait. A dispatch round runs after every job change, so the
 * statuses are rewritten only when the reason changed or once per poll interval (for jobs queued since): rewriting
 * every waiting row every round made a deep queue cost quadratic time. A coordinator with no agent serving an
 * architecture leaves the explaining to those that have one (they see the same queue), at the cost of one fleet
 * read when it would rewrite. Used from the scheduling loop only.
 */
@ApplicationScoped
class WaitingJobs {
    private static final int BATCH = 200;
    private static final int MAX_BATCHES = 500;
    private final Fleet fleet;
    private final FleetView fleetView;
    private final Duration pollInterval;
    private final Map<Architecture, Told> told = new EnumMap<>(Architecture.class);
    @Inject
    Admission admission;

    /** The reason the waiting jobs of an architecture were last given, and when. */
    private record Told(String why, Instant at) {
    }

    @Inject
    WaitingJobs(Fleet fleet, FleetView fleetView, CoordinatorConfig config) {
        this.fleet = fleet;
        this.fleetView = fleetView;
        this.pollInterval = config.dispatch().pollInterval();
    }

    /** The words for the jobs of an architecture that wait. */
    record Reasons(Architecture architecture, String why, String whyHostPath) {
    }

    /**
     * In the current transaction: what to tell the waiting jobs of {@code architecture}, or nothing if they were
     * told the same recently or another coordinator tells them.
     */
    Optional<Reasons> toTell(Architecture architecture, List<ConnectedAgent> serving) {
        String why = reason(architecture, serving);
        Instant now = Instant.now();
        Told last = told.get(architecture);
        if (last != null && last.why().equals(why) && now.isBefore(last.at().plus(pollInterval))) {
            // the host-path reason reads the whole fleet: it is looked at again once per poll interval
            return Optional.empty();
        }
        told.put(architecture, new Told(why, now));
        if (serving.isEmpty() && servedElsewhere(architecture)) {
            return Optional.empty();  // a coordinator holding agents that serve it says why its jobs wait
        }
        return Optional.of(new Reasons(architecture, why, hostPathReason(architecture, serving).orElse(why)));
    }

    /**
     * Sets each waiting job's status. In short transactions of its own, a batch of each kind of job each, youngest
     * jobs first: the rows a batch locks are skipped by other coordinators' claims, which take the oldest, so
     * telling never holds up placing. A row another coordinator holds is skipped rather than waited for (two
     * coordinators updating overlapping rows in different orders deadlocked on PostgreSQL) and told on a later
     * round. Bounded, in case two coordinators keep giving the same rows different reasons.
     */
    void tell(List<Reasons> reasons) {
        List<Rewrite> left = new ArrayList<>();
        for (Reasons r : reasons) {
            String queued = "state = 'QUEUED' and architecture = '" + r.architecture().name() + "'";
            String unpinned = queued + " and pinned_agent is null and not fleet_wide and ";
            left.add(new Rewrite(unpinned + "host_path is null", "?1", r.why()));
            left.add(new Rewrite(unpinned + "host_path is not null", "?1", r.whyHostPath()));
            left.add(new Rewrite(queued + " and pinned_agent is not null",
                    "concat('waiting for its pinned agent ', pinned_agent)", null));
        }
        for (int batch = 0; batch < MAX_BATCHES && !left.isEmpty(); batch++) {
            List<Rewrite> now = List.copyOf(left);
            QuarkusTransaction.requiringNew().run(() -> now.stream().filter(r -> r.apply() < BATCH)
                    .forEach(left::remove));
        }
    }

    /** Sets {@code status} (an SQL expression, {@code ?1} for {@code value}) where it differs on the jobs selected. */
    private record Rewrite(String where, String status, String value) {
        /** One batch, in the current transaction; how many jobs it told. */
        int apply() {
            EntityManager em = JobEntity.getEntityManager();
            Query select = em.createNativeQuery("select id from job where " + where + " and status <> " + status
                    + " order by submitted_at desc limit " + BATCH + " for update skip locked");
            List<String> ids = ids(value == null ? select : select.setParameter(1, value));
            if (!ids.isEmpty()) {
                Query update = em.createNativeQuery("update job set status = " + status.replace("?1", "?2")
                        + " where state = 'QUEUED' and id in (?1)").setParameter(1, ids);
                (value == null ? update : update.setParameter(2, value)).executeUpdate();
            }
            return ids.size();
        }
    }

    /**
     * Why a host-path job waits when agents serve its architecture but none of them reads host paths: its agents
     * would refuse it, so it is never leased to them.
     */
    private Optional<String> hostPathReason(Architecture architecture, List<ConnectedAgent> serving) {
        if (serving.isEmpty() || serving.stream().anyMatch(a -> a.registration().hostPaths())
                || fleetView.serving(architecture).stream().anyMatch(a -> !a.draining()
                && a.registration().hostPaths())) {
            return Optional.empty();
        }
        return Optional.of("waiting for an agent serving " + architecture + " that allows host paths: none of the "
                + serving.size() + " agent(s) serving " + architecture + " was started with --host-path-root");
    }

    /** Whether an agent connected to another coordinator sharing the database serves the architecture. */
    private boolean servedElsewhere(Architecture architecture) {
        return fleetView.serving(architecture).stream().anyMatch(a -> !a.draining() && fleet.find(a.id()).isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Query query) {
        return query.getResultList();
    }

    /**
     * Why a job of {@code architecture} waits: no agent serves it, all that do are busy, unhealthy, quarantined or
     * draining. {@code serving}: the admitted ones.
     */
    private String reason(Architecture architecture, List<ConnectedAgent> serving) {
        if (!serving.isEmpty()) {
            // no count of this coordinator's agents: every coordinator sharing the database gives the same words,
            // rather than each rewriting the queue's statuses with its own number
            return "waiting for a free slot: every agent serving " + architecture + " is busy";
        }
        Optional<String> notAdmitted = admission.whyNoneAdmitted(architecture);
        if (notAdmitted.isPresent()) {
            return notAdmitted.get();
        }
        List<ConnectedAgent> all = fleet.agents();
        if (all.stream().anyMatch(a -> a.serves(architecture))) {
            return "waiting for an agent serving " + architecture + ": all that do are draining";
        }
        return "waiting for an agent serving " + architecture + "; agents present: "
                + (all.isEmpty() ? "none" : all.stream().map(ConnectedAgent::toString)
                .collect(Collectors.joining(", ")));
    }
}
