package dev.verifarm.agent.farm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnection delays: exponential from {@code initial} up to {@code max}, with full jitter so that a fleet
 * that lost its coordinator at the same moment does not come back at the same moment.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    /** The delay before the next attempt; each call without a {@link #reset()} doubles the ceiling. */
    synchronized Duration next() {
        long ceiling = initial.toMillis() << Math.min(failures, 20);
        failures++;
        long capped = Math.min(ceiling, max.toMillis());
        // Half fixed, half random: never hammer, never wait far longer than the ceiling.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    synchronized void reset() {
        failures = 0;
    }
}
