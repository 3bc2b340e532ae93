package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.store.ArtifactEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes this coordinator's cached files of artifacts the database no longer holds: another coordinator (or this
 * one) deleted them, and each coordinator's artifact directory is its own. A file younger than a minute is left
 * alone: an upload moves its file into place just before its row commits.
 */
@ApplicationScoped
public class CacheSweep {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Duration SETTLING = Duration.ofMinutes(1);
    private static final int PER_QUERY = 500;

    private final Path dir;

    CacheSweep(CoordinatorConfig config) {
        this.dir = config.artifact().dir();
    }

    int sweep() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant settled = Instant.now().minus(SETTLING);
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> SHA256.matcher(f.getFileName().toString()).matches())
                    .filter(f -> modified(f).isBefore(settled)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        int removed = 0;
        for (int from = 0; from < files.size(); from += PER_QUERY) {
            List<Path> some = files.subList(from, Math.min(files.size(), from + PER_QUERY));
            Set<String> held = held(some.stream().map(f -> f.getFileName().toString()).toList());
            for (Path file : some) {
                if (!held.contains(file.getFileName().toString()) && delete(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> held(List<String> sha256s) {
        return QuarkusTransaction.requiringNew().call(() -> new HashSet<String>(ArtifactEntity.getEntityManager()
                .createNativeQuery("select sha256 from artifact where sha256 in (?1)").setParameter(1, sha256s)
                .getResultList()));
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();  // gone or unreadable: not this sweep's to judge
        }
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the cached artifact " + file, e);
        }
    }
}
