package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Role;

import java.time.Instant;
import java.util.Optional;

/** A token as it is listed: never its secret, which only its creator saw once. */
public record ApiToken(String id, String name, Role role, Instant createdAt, String createdBy,
                       Optional<Instant> revokedAt) {
}
