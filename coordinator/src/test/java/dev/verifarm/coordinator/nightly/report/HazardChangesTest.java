package dev.verifarm.coordinator.nightly.report;

import static dev.verifarm.coordinator.nightly.report.Reports.ENTRY;
import static dev.verifarm.coordinator.nightly.report.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A user hazard has a row only in the runs that found it: its appearance regresses, its going recovers. */
class HazardChangesTest {
    private static final Set<String> ENTRIES = Set.of(ENTRY);

    @Test
    void aHazardThatAppearsInACellScannedBeforeIsARegression() {
        NightlyReport night1 = report("run-1", List.of(scanned("a")));
        RunComparison.Result night2 = RunComparison.compare(List.of(scanned("a"), hazard("a", "main.memcpy")),
                ENTRIES, List.of(night1));

        assertEquals(1, night2.regressions().size(), night2.toString());
        Change c = night2.regressions().get(0);
        assertEquals("hazard main.memcpy", c.expectation());
        assertEquals(Outcome.MATCH, c.before());
        assertEquals(Outcome.WRAPPER, c.now());
        assertEquals("run-1", c.previousRunId());
        assertTrue(night2.recoveries().isEmpty() && night2.flaky().isEmpty());
    }

    @Test
    void aHazardThatGoesIsARecovery() {
        NightlyReport night1 = report("run-1", List.of(scanned("a"), hazard("a", "main.memcpy")));
        RunComparison.Result night2 = RunComparison.compare(List.of(scanned("a")), ENTRIES, List.of(night1));

        assertEquals(List.of("hazard main.memcpy"), night2.recoveries().stream().map(Change::expectation).toList());
        assertTrue(night2.regressions().isEmpty());
    }

    @Test
    void aHazardThatStaysChangesNothing() {
        NightlyReport night1 = report("run-1", List.of(scanned("a"), hazard("a", "main.memcpy")));
        RunComparison.Result night2 = RunComparison.compare(List.of(scanned("a"), hazard("a", "main.memcpy")),
                ENTRIES, List.of(night1));

        assertTrue(night2.regressions().isEmpty() && night2.recoveries().isEmpty() && night2.flaky().isEmpty());
    }

    /** Without a scan to compare with (a new entry, a new agent, a scan that failed) nothing appeared. */
    @Test
    void aHazardOfACellNeverScannedBeforeIsNoRegression() {
        NightlyReport night1 = report("run-1", List.of(scanned("a")));
        RunComparison.Result night2 = RunComparison.compare(List.of(scanned("b"), hazard("b", "main.memcpy")),
                ENTRIES, List.of(night1));
        NightlyReport failedScan = report("run-1", List.of(row("a", HazardChanges.SUMMARY, Outcome.ERROR)));
        RunComparison.Result afterFailure = RunComparison.compare(List.of(scanned("a"), hazard("a", "main.memcpy")),
                ENTRIES, List.of(failedScan));

        assertTrue(night2.regressions().isEmpty(), night2.toString());
        assertTrue(afterFailure.regressions().stream().noneMatch(c -> c.expectation().startsWith("hazard ")),
                afterFailure.toString());
    }

    private static MatrixRow scanned(String agent) {
        return row(agent, HazardChanges.SUMMARY, Outcome.MATCH);
    }

    private static MatrixRow hazard(String agent, String function) {
        return row(agent, HazardChanges.HAZARD + function, Outcome.WRAPPER);
    }

    private static MatrixRow row(String agent, String expectation, Outcome outcome) {
        return new MatrixRow(0, ENTRY, Optional.of(agent), Optional.of("AMD64"), expectation, outcome, "why",
                Optional.of("job-" + agent), Optional.of("sha-1"));
    }
}
