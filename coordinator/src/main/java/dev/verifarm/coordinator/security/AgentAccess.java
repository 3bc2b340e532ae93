package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.problem.ForbiddenException;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** What an agent may read: only the artifacts of leases an agent of its token holds now. */
@ApplicationScoped
public class AgentAccess {

    @Transactional
    public void requireDownload(Caller caller, String sha256) {
        if (caller.is(Role.ADMIN)) {
            return;
        }
        List<String> holders = JobEntity.getEntityManager().createQuery("select a.agentName from AttemptEntity a,"
                        + " JobEntity j where a.jobId = j.id and j.artifactSha256 = :sha and a.state in :active",
                        String.class)
                .setParameter("sha", sha256)
                .setParameter("active", List.of(AttemptState.LEASED, AttemptState.RUNNING))
                .getResultList();
        if (holders.stream().noneMatch(caller::mayBeAgent)) {
            throw new ForbiddenException("sha256", "agent token " + caller.name() + " holds no lease on artifact "
                    + sha256);
        }
    }
}
