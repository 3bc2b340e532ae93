package dev.verifarm.coordinator.capacity;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** What uploads may take of the coordinator's storage (docs/operations.md, Quota and disk). */
@ConfigMapping(prefix = "verifarm.capacity")
public interface CapacityConfig {
    /** The bytes of artifacts one submitter token may keep stored; unset: no limit. Admins are not limited. */
    Optional<MemorySize> storedBytesPerSubmitter();

    /** Uploads are refused, and the coordinator is not ready, while its artifact directory has less free space. */
    @WithDefault("1G")
    MemorySize minFree();
}
