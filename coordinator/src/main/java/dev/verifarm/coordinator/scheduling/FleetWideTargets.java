package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.List;

/**
 * The targets of fleet-wide jobs: one per live agent of the whole fleet serving the job's architecture when it is
 * submitted, by name. Each coordinator leases the targets whose agents it holds, so a fleet-wide job runs on every
 * host whichever coordinator the host talks to, and on a host that moved to another coordinator, there.
 */
@ApplicationScoped
class FleetWideTargets {
    private final FleetView fleet;

    @Inject
    FleetWideTargets(FleetView fleet) {
        this.fleet = fleet;
    }

    /**
     * In the submission's transaction: one target per live agent serving the job's architecture, and for a host-path
     * job only those that read host paths (the others would refuse it).
     */
    void target(JobEntity job) {
        List<FleetMember> serving = fleet.serving(job.architecture);
        if (job.hostPath != null && !serving.isEmpty()
                && serving.stream().noneMatch(a -> a.registration().hostPaths())) {
            throw new ConflictException("fleetWide", "no live agent serving " + job.architecture + " reads host"
                    + " paths: none of " + serving.stream().map(FleetMember::name).toList() + " was started with"
                    + " --host-path-root");
        }
        serving = serving.stream().filter(a -> job.hostPath == null || a.registration().hostPaths()).toList();
        if (serving.isEmpty()) {
            throw new ConflictException("fleetWide", "no live agent serves " + job.architecture
                    + ": a fleet-wide job runs on the agents live when it is submitted; agents present: "
                    + (fleet.agents().isEmpty() ? "none" : fleet.agents().stream().map(FleetMember::name).toList()));
        }
        EntityManager em = JobEntity.getEntityManager();
        em.flush();  // the job's row, which the targets reference
        for (FleetMember agent : serving) {
            em.createNativeQuery("insert into job_target (job_id, agent_name) values (?1, ?2)")
                    .setParameter(1, job.id).setParameter(2, agent.name()).executeUpdate();
        }
    }

    /**
     * Unfinished fleet-wide jobs of {@code architecture} with a target not yet leased among {@code names}, highest
     * priority and oldest first, locked; rows another coordinator is placing right now are skipped. Asked on every
     * dispatch round, so it starts from the few unleased targets of these agents (an index) rather than from the
     * queue, which may be deep: most rounds it finds none and costs one index lookup.
     */
    @SuppressWarnings("unchecked")
    List<JobEntity> claim(Architecture architecture, Collection<String> names) {
        EntityManager em = JobEntity.getEntityManager();
        List<String> candidates = em.createNativeQuery("select distinct t.job_id from job_target t"
                        + " where t.agent_name in (?1) and t.lease_id is null")
                .setParameter(1, names).getResultList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<String> ids = em.createNativeQuery("select id from job where id in (?1) and architecture = ?2"
                        + " and state in ('QUEUED', 'LEASED', 'RUNNING') order by priority desc, submitted_at asc"
                        + " for update skip locked")
                .setParameter(1, candidates).setParameter(2, architecture.name()).getResultList();
        return ids.isEmpty() ? List.of()
                : JobEntity.list("id in ?1 order by priority desc, submittedAt asc", ids);
    }

    /** The names among {@code names} of the job's targets not yet leased. */
    @SuppressWarnings("unchecked")
    List<String> unleased(String jobId, Collection<String> names) {
        return JobEntity.getEntityManager().createNativeQuery("select agent_name from job_target where job_id = ?1"
                        + " and lease_id is null and agent_name in (?2) order by agent_name")
                .setParameter(1, jobId).setParameter(2, names).getResultList();
    }

    void leased(String jobId, String agentName, String leaseId) {
        JobEntity.getEntityManager().createNativeQuery("update job_target set lease_id = ?1 where job_id = ?2"
                        + " and agent_name = ?3").setParameter(1, leaseId).setParameter(2, jobId)
                .setParameter(3, agentName).executeUpdate();
    }

    /** A finished job (cancelled, say) runs nowhere else: its unleased targets go, so no round finds them again. */
    void drop(String jobId) {
        JobEntity.getEntityManager().createNativeQuery("delete from job_target where job_id = ?1 and lease_id is null")
                .setParameter(1, jobId).executeUpdate();
    }

    /** The names of the job's targets not yet leased: while there are some, the job is not done. */
    @SuppressWarnings("unchecked")
    List<String> waiting(String jobId) {
        return JobEntity.getEntityManager().createNativeQuery("select agent_name from job_target where job_id = ?1"
                + " and lease_id is null order by agent_name").setParameter(1, jobId).getResultList();
    }
}
