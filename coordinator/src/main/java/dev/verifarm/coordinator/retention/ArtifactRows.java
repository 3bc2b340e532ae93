package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.store.ArtifactEntity;
import jakarta.persistence.EntityManager;

import java.util.List;

/** Deletes artifacts, row and chunks, that nothing refers to any more. Call within a transaction holding the rows. */
final class ArtifactRows {
    private ArtifactRows() {
    }

    static int delete(List<String> sha256s) {
        if (sha256s.isEmpty()) {
            return 0;
        }
        EntityManager em = ArtifactEntity.getEntityManager();
        em.createNativeQuery("delete from artifact_chunk where sha256 in (?1)").setParameter(1, sha256s)
                .executeUpdate();
        return em.createNativeQuery("delete from artifact where sha256 in (?1)").setParameter(1, sha256s)
                .executeUpdate();
    }
}
