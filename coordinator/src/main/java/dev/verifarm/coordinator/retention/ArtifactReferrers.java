package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.store.ArtifactEntity;
import jakarta.persistence.EntityManager;

import java.util.Arrays;
import java.util.List;

/**
 * What keeps an artifact: suites that name it (a suite fans its entries out again every night), jobs that have not
 * finished with it, and nightly runs still in progress over it. Finished jobs do not keep it; they go with it.
 * Read within the transaction that deletes, after the artifact's row is locked.
 */
record ArtifactReferrers(List<String> suites, List<String> jobs, List<String> runs) {
    /** Jobs named in a refusal; the count says how many more there are. */
    private static final int NAMED = 20;
    static final List<String> UNFINISHED = Arrays.stream(JobState.values()).filter(s -> !s.terminal())
            .map(Enum::name).toList();

    @SuppressWarnings("unchecked")
    static ArtifactReferrers of(String sha256) {
        EntityManager em = ArtifactEntity.getEntityManager();
        // a suite's definition names its artifacts by sha256, a string nothing else in it can be
        List<String> suites = em.createNativeQuery("select name from nightly_suite where definition like ?1"
                + " order by name").setParameter(1, "%" + sha256 + "%").getResultList();
        List<String> jobs = em.createNativeQuery("select id from job where artifact_sha256 = ?1 and state in (?2)"
                + " order by submitted_at").setParameter(1, sha256).setParameter(2, UNFINISHED).getResultList();
        List<String> runs = em.createNativeQuery("select distinct r.id from nightly_run r"
                        + " join nightly_cell c on c.run_id = r.id join job j on j.id = c.job_id"
                        + " where j.artifact_sha256 = ?1 and r.finished_at is null")
                .setParameter(1, sha256).getResultList();
        return new ArtifactReferrers(suites, jobs, runs);
    }

    boolean none() {
        return suites.isEmpty() && jobs.isEmpty() && runs.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (!suites.isEmpty()) {
            text.append("suites ").append(suites);
        }
        if (!jobs.isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append(jobs.size()).append(" unfinished jobs ")
                    .append(jobs.subList(0, Math.min(NAMED, jobs.size())))
                    .append(jobs.size() > NAMED ? " and more" : "");
        }
        if (!runs.isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append("nightly runs in progress ").append(runs);
        }
        return text.toString();
    }
}
