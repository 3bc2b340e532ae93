package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.store.JobEntity;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of each kind of pruning, each in the caller's transaction. Candidates are locked with
 * {@code for update skip locked}: a row another coordinator's pruner (or a settlement, a submission) holds is left
 * for a later pass rather than waited for, and the delete that follows re-checks what made it a candidate.
 */
final class PruneBatches {
    private PruneBatches() {
    }

    /** Finished jobs that finished before {@code before} and no nightly run links to (they go with their run). */
    @SuppressWarnings("unchecked")
    static int jobs(Instant before, int limit) {
        List<String> ids = em().createNativeQuery("select id from job where finished_at < ?1 and state in (?2)"
                        + " and not exists (select 1 from nightly_cell c where c.job_id = job.id)"
                        + " order by finished_at limit " + limit + " for update skip locked")
                .setParameter(1, before).setParameter(2, JobRows.FINISHED).getResultList();
        return JobRows.delete(ids);
    }

    /** Finished nightly runs that have {@code keep} or more newer runs of their suite, with their cells. */
    @SuppressWarnings("unchecked")
    static int runs(int keep, int limit) {
        List<String> ids = em().createNativeQuery("select id from nightly_run r where finished_at is not null"
                        + " and (select count(*) from nightly_run n where n.suite_name = r.suite_name"
                        + " and n.started_at > r.started_at) >= ?1"
                        + " order by started_at limit " + limit + " for update skip locked")
                .setParameter(1, keep).getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        em().createNativeQuery("delete from nightly_cell where run_id in (?1)").setParameter(1, ids).executeUpdate();
        return em().createNativeQuery("delete from nightly_run where id in (?1) and finished_at is not null")
                .setParameter(1, ids).executeUpdate();
    }

    /**
     * Artifacts uploaded before {@code before} that no job (finished or not) and no suite refers to. Each candidate's
     * row is locked before its referrers are counted again: a job submitted meanwhile locked the row first (see
     * ArtifactStore.getForUse) and is seen now, or waits and then finds no artifact.
     */
    @SuppressWarnings("unchecked")
    static int artifacts(Instant before, int limit) {
        List<String> candidates = em().createNativeQuery("select sha256 from artifact a where created_at < ?1"
                        + " and not exists (select 1 from job j where j.artifact_sha256 = a.sha256)"
                        + " order by created_at limit " + limit + " for update skip locked")
                .setParameter(1, before).getResultList();
        List<String> orphans = new ArrayList<>();
        for (String sha256 : candidates) {
            boolean used = !em().createNativeQuery("select 1 from job where artifact_sha256 = ?1")
                    .setParameter(1, sha256).setMaxResults(1).getResultList().isEmpty();
            if (!used && ArtifactReferrers.of(sha256).none()) {
                orphans.add(sha256);
            }
        }
        return ArtifactRows.delete(orphans);
    }

    private static EntityManager em() {
        return JobEntity.getEntityManager();
    }
}
