package dev.verifarm.coordinator.capacity;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.problem.OverQuotaException;
import dev.verifarm.coordinator.store.ApiTokenEntity;
import dev.verifarm.coordinator.store.ArtifactEntity;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bytes of artifacts a submitter token keeps stored (those it uploaded first; the same bytes uploaded again are
 * not counted twice), against {@code verifarm.capacity.stored-bytes-per-submitter}. Admins are not limited.
 */
@ApplicationScoped
public class SubmitterQuota {
    private final OptionalLong limit;

    SubmitterQuota(CoordinatorConfig config) {
        this.limit = config.capacity().storedBytesPerSubmitter().map(MemorySize::asLongValue)
                .map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /**
     * Refuses an upload that declares {@code bytes} before its bytes arrive, unless it declares the sha256 of an
     * artifact already stored: the same bytes again take no more room.
     */
    @Transactional
    public void requireDeclared(Caller caller, long bytes, Optional<String> sha256) {
        if (limited(caller) && sha256.map(sha -> ArtifactEntity.<ArtifactEntity>findById(sha)).isEmpty()) {
            require(caller, bytes);
        }
    }

    /**
     * Refuses {@code bytes} more for {@code caller} over its quota. The token's row is locked until the caller's
     * transaction ends, so two uploads at once, on one coordinator or several, cannot both take the last room.
     */
    @Transactional
    public void require(Caller caller, long bytes) {
        if (!limited(caller)) {
            return;
        }
        ApiTokenEntity.findById(caller.tokenId(), LockModeType.PESSIMISTIC_WRITE);
        long used = stored(caller.tokenId());
        if (used + bytes > limit.getAsLong()) {
            throw new OverQuotaException(caller.name(), used, bytes, limit.getAsLong());
        }
    }

    private boolean limited(Caller caller) {
        return limit.isPresent() && !caller.is(Role.ADMIN);
    }

    private static long stored(String tokenId) {
        Number sum = (Number) ArtifactEntity.getEntityManager().createNativeQuery(
                        "select coalesce(sum(size_bytes), 0) from artifact where uploaded_by = ?1")
                .setParameter(1, tokenId).getSingleResult();
        return sum.longValue();
    }
}
