package dev.verifarm.coordinator.capacity;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.problem.InsufficientStorageException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The free space of this coordinator's artifact directory, where uploads are written before they go to the database
 * and where downloads are cached. Below {@code verifarm.capacity.min-free} uploads are refused and the coordinator
 * says it is not ready, before a full disk breaks uploads, downloads and, on the embedded database, everything.
 */
@ApplicationScoped
public class DiskSpace {
    private final Path dir;
    private final long minFree;

    DiskSpace(CoordinatorConfig config) {
        this.dir = config.artifact().dir();
        this.minFree = config.capacity().minFree().asLongValue();
    }

    /** Why the artifact directory has no room for {@code bytes} more, if it has none. */
    public Optional<String> shortage(long bytes) {
        long free = free();
        if (free - bytes >= minFree) {
            return Optional.empty();
        }
        return Optional.of("the artifact directory " + dir + " has " + free + " bytes free"
                + (bytes > 0 ? " for an upload of " + bytes + " bytes" : "")
                + ", less than verifarm.capacity.min-free (" + minFree + " bytes)");
    }

    /** Refuses an upload of {@code bytes} (0 when its size is not declared) that would leave too little free. */
    public void requireRoomFor(long bytes) {
        shortage(bytes).ifPresent(why -> {
            throw new InsufficientStorageException("artifact", "the coordinator refuses uploads while " + why);
        });
    }

    private long free() {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir, e);
        }
    }
}
