package dev.verifarm.coordinator.nightly.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.verifarm.coordinator.nightly.report.Reports.ENTRY;
import static dev.verifarm.coordinator.nightly.report.Reports.report;
import static dev.verifarm.coordinator.nightly.report.Reports.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunComparisonTest {
    private static final Set<String> ENTRIES = Set.of(ENTRY);

    @Test
    void aMatchThatBecomesAMismatchOnAChangedArtifactIsARegression() {
        NightlyReport night1 = report("run-1", List.of(row("a", Outcome.MATCH, "sha-1"), row("b", Outcome.MATCH, "sha-1")));
        RunComparison.Result night2 = RunComparison.compare(
                List.of(row("a", Outcome.MATCH, "sha-1"), row("b", Outcome.MISMATCH, "sha-2")), ENTRIES, List.of(night1));
        assertEquals(1, night2.regressions().size());
        Change regression = night2.regressions().get(0);
        assertEquals("b", regression.agent());
        assertEquals(Outcome.MATCH, regression.before());
        assertEquals(Outcome.MISMATCH, regression.now());
        assertEquals("run-1", regression.previousRunId());
        assertTrue(night2.flaky().isEmpty() && night2.recoveries().isEmpty() && night2.absent().isEmpty());
    }

    @Test
    void passAndFailOnTheSameArtifactAndHostIsFlakyNotARegression() {
        NightlyReport night1 = report("run-1", List.of(row("a", Outcome.MATCH, "sha-1")));
        RunComparison.Result night2 = RunComparison.compare(List.of(row("a", Outcome.MISMATCH, "sha-1")), ENTRIES,
                List.of(night1));
        assertTrue(night2.regressions().isEmpty());
        assertEquals(1, night2.flaky().size());
        assertTrue(night2.flaky().get(0).reason().contains("same artifact"), night2.flaky().get(0).reason());
    }

    @Test
    void aMismatchThatBecomesAMatchIsARecovery() {
        NightlyReport night1 = report("run-1", List.of(row("a", Outcome.WRAPPER, "sha-1")));
        RunComparison.Result night2 = RunComparison.compare(List.of(row("a", Outcome.MATCH, "sha-2")), ENTRIES,
                List.of(night1));
        assertEquals(1, night2.recoveries().size());
        assertTrue(night2.regressions().isEmpty() && night2.flaky().isEmpty());
    }

    @Test
    void aResultThatKeepsFlippingAcrossChangingArtifactsIsFlaky() {
        List<NightlyReport> history = List.of(
                report("run-3", List.of(row("a", Outcome.MATCH, "sha-3"))),
                report("run-2", List.of(row("a", Outcome.MISMATCH, "sha-2"))),
                report("run-1", List.of(row("a", Outcome.MATCH, "sha-1"))));
        RunComparison.Result night4 = RunComparison.compare(List.of(row("a", Outcome.MISMATCH, "sha-4")), ENTRIES,
                history);
        assertTrue(night4.regressions().isEmpty());
        assertEquals(1, night4.flaky().size());
        assertEquals(List.of(Outcome.MISMATCH, Outcome.MATCH, Outcome.MISMATCH, Outcome.MATCH),
                night4.flaky().get(0).history());
    }

    @Test
    void anAgentSeenInARecentRunButNotNowIsAbsent() {
        List<NightlyReport> history = List.of(
                report("run-2", List.of(row("a", Outcome.MATCH, "sha-1"))),
                report("run-1", List.of(row("a", Outcome.MATCH, "sha-1"), row("gone", Outcome.MATCH, "sha-1"))));
        RunComparison.Result now = RunComparison.compare(List.of(row("a", Outcome.MATCH, "sha-1")), ENTRIES, history);
        assertEquals(1, now.absent().size());
        assertEquals("gone", now.absent().get(0).agent());
        assertEquals("run-1", now.absent().get(0).lastSeenRunId());
    }

    @Test
    void anAgentOfAnEntryNoLongerInTheSuiteIsNotMissed() {
        NightlyReport night1 = report("run-1", List.of(row("gone", Outcome.MATCH, "sha-1")));
        assertTrue(RunComparison.compare(List.of(), Set.of("/another/entry"), List.of(night1)).absent().isEmpty());
    }

    @Test
    void aJobThatDidNotFinishIsNeitherARegressionNorFlaky() {
        NightlyReport night1 = report("run-1", List.of(row("a", Outcome.MATCH, "sha-1")));
        RunComparison.Result night2 = RunComparison.compare(List.of(row("a", Outcome.NOT_FINISHED, "sha-1")),
                ENTRIES, List.of(night1));
        assertTrue(night2.regressions().isEmpty() && night2.flaky().isEmpty() && night2.recoveries().isEmpty());
    }
}
