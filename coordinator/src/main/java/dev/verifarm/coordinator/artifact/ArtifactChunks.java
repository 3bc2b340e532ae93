package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.store.ArtifactEntity;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bytes of uploaded artifacts in the database, in chunks of {@value #CHUNK} bytes: what coordinators sharing one
 * database share instead of a directory. Chunks go in and come out one at a time, so neither an upload nor a
 * download holds a whole artifact in memory. Call within a transaction.
 */
final class ArtifactChunks {
    static final int CHUNK = 1024 * 1024;

    private ArtifactChunks() {
    }

    /** Stores {@code file} as the bytes of the artifact {@code sha256}, whose row is already written. */
    static void store(String sha256, Path file) throws IOException {
        EntityManager em = ArtifactEntity.getEntityManager();
        try (InputStream in = Files.newInputStream(file)) {
            int sequence = 0;
            for (byte[] chunk = in.readNBytes(CHUNK); chunk.length > 0; chunk = in.readNBytes(CHUNK)) {
                em.createNativeQuery("insert into artifact_chunk (sha256, sequence, data) values (?1, ?2, ?3)")
                        .setParameter(1, sha256).setParameter(2, sequence++).setParameter(3, chunk)
                        .executeUpdate();
            }
        }
    }

    /** Whether the database holds the artifact's bytes (those uploaded before it kept them do not). */
    static boolean stored(String sha256) {
        return !ArtifactEntity.getEntityManager().createNativeQuery(
                        "select 1 from artifact_chunk where sha256 = ?1 and sequence = 0")
                .setParameter(1, sha256).getResultList().isEmpty();
    }

    /** Writes the artifact's chunks to {@code out} in order; the caller verifies what it got. */
    static void copy(String sha256, OutputStream out) throws IOException {
        EntityManager em = ArtifactEntity.getEntityManager();
        for (int sequence = 0; ; sequence++) {
            List<?> chunk = em.createNativeQuery("select data from artifact_chunk where sha256 = ?1 and sequence = ?2")
                    .setParameter(1, sha256).setParameter(2, sequence).getResultList();
            if (chunk.isEmpty()) {
                return;
            }
            out.write((byte[]) chunk.get(0));
        }
    }
}
