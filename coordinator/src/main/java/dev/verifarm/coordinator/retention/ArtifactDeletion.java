package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.store.ArtifactEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * An admin's deletion of an artifact: refused, naming them, while suites, unfinished jobs or nightly runs in
 * progress refer to it; otherwise the artifact goes with the finished jobs that checked it. The artifact's row is
 * locked for update before its referrers are read, so a job submitted at the same moment either comes first and is
 * named, or comes second and finds no artifact.
 */
@ApplicationScoped
public class ArtifactDeletion {
    private final ArtifactStore artifacts;

    ArtifactDeletion(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** Deletes the artifact; returns how many finished jobs went with it. */
    public int delete(String sha256) {
        ArtifactStore.requireSha256("sha256", sha256);
        int jobs = QuarkusTransaction.requiringNew().call(() -> deleteRows(sha256));
        try {
            Files.deleteIfExists(artifacts.cacheFile(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the cached artifact " + sha256, e);
        }
        return jobs;
    }

    @SuppressWarnings("unchecked")
    private static int deleteRows(String sha256) {
        if (ArtifactEntity.findById(sha256, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw new NotFoundException("sha256", "no artifact with sha256 " + sha256 + " has been uploaded");
        }
        ArtifactReferrers referrers = ArtifactReferrers.of(sha256);
        if (!referrers.none()) {
            throw new ConflictException("sha256", "artifact " + sha256 + " is still referred to by " + referrers
                    + "; remove it from the suites and let the jobs and runs finish (or cancel them) first");
        }
        List<String> finished = ArtifactEntity.getEntityManager().createNativeQuery(
                        "select id from job where artifact_sha256 = ?1 for update")
                .setParameter(1, sha256).getResultList();
        int jobs = JobRows.delete(finished);
        ArtifactRows.delete(List.of(sha256));
        return jobs;
    }
}
