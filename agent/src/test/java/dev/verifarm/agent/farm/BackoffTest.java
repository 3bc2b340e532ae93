package dev.verifarm.agent.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reconnection delays: a doubling ceiling up to the maximum, each delay between half the ceiling and all of it. */
class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(15);
    /** Enough draws that a delay outside its bounds, or jitter that never varies, would show. */
    private static final int DRAWS = 500;

    private static void assertWithin(long ceilingMillis, Duration delay) {
        assertTrue(delay.toMillis() >= ceilingMillis / 2 && delay.toMillis() <= ceilingMillis,
                delay.toMillis() + " ms is not within [" + ceilingMillis / 2 + ", " + ceilingMillis + "]");
    }

    @Test
    void theCeilingDoublesWithEachFailureUntilTheMaximum() {
        long[] ceilings = {200, 400, 800, 1600, 3200, 6400, 12800, 15000, 15000, 15000};
        for (int draw = 0; draw < DRAWS; draw++) {
            Backoff backoff = new Backoff(INITIAL, MAX);
            for (long ceiling : ceilings) {
                assertWithin(ceiling, backoff.next());
            }
        }
    }

    @Test
    void delaysAreJitteredSoAFleetDoesNotComeBackAtOnce() {
        Set<Long> first = new HashSet<>();
        for (int draw = 0; draw < DRAWS; draw++) {
            first.add(new Backoff(INITIAL, MAX).next().toMillis());
        }
        assertTrue(first.size() > 20, "only " + first.size() + " distinct first delays in " + DRAWS);
    }

    @Test
    void aResetStartsAgainFromTheInitialCeiling() {
        Backoff backoff = new Backoff(INITIAL, MAX);
        for (int failure = 0; failure < 8; failure++) {
            backoff.next();
        }
        backoff.reset();
        assertWithin(200, backoff.next());
        assertWithin(400, backoff.next());
    }

    @Test
    void manyFailuresNeverOverflowPastTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofHours(1), Duration.ofDays(365));
        for (int failure = 0; failure < 100; failure++) {
            assertTrue(backoff.next().compareTo(Duration.ofDays(365)) <= 0);
        }
        assertWithin(Duration.ofDays(365).toMillis(), backoff.next());
    }

    @Test
    void boundsThatMakeNoBackoffAreRefused() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, MAX));
        assertEquals("need 0 < initial <= max, got PT0S, PT15S", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), MAX));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(MAX, INITIAL));
    }
}
