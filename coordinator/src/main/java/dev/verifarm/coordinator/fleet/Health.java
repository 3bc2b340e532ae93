package dev.verifarm.coordinator.fleet;

import java.time.Instant;
import java.util.Optional;

/**
 * What an agent's known-answer self-checks (or its cache's disk) last proved, as the agent reported it.
 *
 * @param check     UNHEALTHY: the failing check; empty otherwise
 * @param reason    UNHEALTHY: what it got instead, in words an operator can act on; empty otherwise
 * @param checkedAt when it was checked; empty while UNKNOWN
 */
public record Health(State state, String check, String reason, Optional<Instant> checkedAt) {
    public static final Health UNKNOWN = new Health(State.UNKNOWN, "", "", Optional.empty());

    public enum State { UNKNOWN, HEALTHY, UNHEALTHY }
}
