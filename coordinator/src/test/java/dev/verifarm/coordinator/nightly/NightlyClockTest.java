package dev.verifarm.coordinator.nightly;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NightlyClockTest {
    private static final CronSchedule TWO_AM = CronSchedule.parse("schedule", "0 0 2 * * ?");
    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);

    @Test
    void aRunIsDueForTheFireTimeJustPassed() {
        assertEquals(Optional.of(Instant.parse("2026-11-25T02:00:00Z")),
                NightlyClock.due(TWO_AM, LONG_AGO, Instant.parse("2026-11-25T02:00:03.500Z"), GRACE));
    }

    @Test
    void aFireTimeOlderThanTheGraceIsNotCaughtUp() {
        assertEquals(Optional.empty(),
                NightlyClock.due(TWO_AM, LONG_AGO, Instant.parse("2026-11-25T02:10:01Z"), GRACE));
    }

    @Test
    void aSuiteDoesNotFireForATimeBeforeItWasCreatedOrChanged() {
        assertEquals(Optional.empty(), NightlyClock.due(TWO_AM, Instant.parse("2026-11-25T02:00:01Z"),
                Instant.parse("2026-11-25T02:00:05Z"), GRACE));
    }
}
