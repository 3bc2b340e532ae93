package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.persistence.EntityManager;

import java.util.Arrays;
import java.util.List;

/** Deletes finished jobs with everything that hangs off them. Call within a transaction holding their rows. */
final class JobRows {
    static final List<String> FINISHED = Arrays.stream(JobState.values()).filter(JobState::terminal)
            .map(Enum::name).toList();

    private JobRows() {
    }

    /** Deletes the finished jobs among {@code ids}; returns how many went. */
    static int delete(List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        EntityManager em = JobEntity.getEntityManager();
        em.createNativeQuery("delete from check_result where attempt_id in (select id from attempt where job_id"
                + " in (?1))").setParameter(1, ids).executeUpdate();
        em.createNativeQuery("delete from attempt where job_id in (?1)").setParameter(1, ids).executeUpdate();
        em.createNativeQuery("delete from job_event where job_id in (?1)").setParameter(1, ids).executeUpdate();
        em.createNativeQuery("delete from job_target where job_id in (?1)").setParameter(1, ids).executeUpdate();
        // a finished run keeps its report (the matrix, its outcomes); its cells only link to the jobs
        em.createNativeQuery("update nightly_cell set job_id = null where job_id in (?1)").setParameter(1, ids)
                .executeUpdate();
        return em.createNativeQuery("delete from job where id in (?1) and state in (?2)").setParameter(1, ids)
                .setParameter(2, FINISHED).executeUpdate();
    }
}
