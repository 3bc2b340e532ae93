package dev.verifarm.coordinator.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bounded poll, so that tests assert states reached, never how long they took. */
public final class Poll {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    /** The first value {@code probe} yields; fails the test, naming {@code what}, if none comes within the limit. */
    public static <T> T until(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + LIMIT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }
}
