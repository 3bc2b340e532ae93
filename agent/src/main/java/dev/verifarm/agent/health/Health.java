package dev.verifarm.agent.health;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the last self-check proved about the answers an agent gives for one architecture (or about its cache's
 * room for uploaded artifacts).
 *
 * @param check     UNHEALTHY: the failing check, e.g. {@code native resolve main.addrOfMemcpyish=main.memcpyish}
 * @param reason    UNHEALTHY: what it got instead
 * @param checkedAt when it was proven; empty while UNKNOWN
 */
public record Health(State state, String check, String reason, Optional<Instant> checkedAt) {

    public enum State { UNKNOWN, HEALTHY, UNHEALTHY }

    public static final Health UNKNOWN = new Health(State.UNKNOWN, "", "", Optional.empty());

    public Health {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(checkedAt, "checkedAt");
        if (state == State.UNKNOWN != checkedAt.isEmpty()) {
            throw new IllegalArgumentException("a health is UNKNOWN exactly when it has not been checked");
        }
    }

    public static Health healthy(Instant at) {
        return new Health(State.HEALTHY, "", "", Optional.of(at));
    }

    public static Health unhealthy(String check, String reason, Instant at) {
        return new Health(State.UNHEALTHY, check, reason, Optional.of(at));
    }

    public boolean healthy() {
        return state == State.HEALTHY;
    }

    public boolean unhealthy() {
        return state == State.UNHEALTHY;
    }

    /** {@code check: reason}, or the state's name when there is nothing to explain. */
    public String explanation() {
        return check.isEmpty() ? state.name() : check + ": " + reason;
    }
}
