package dev.verifarm.coordinator.nightly.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a run's matrix with the suite's earlier reports: what regressed, what recovered, what is flaky, who is
 * missing. A cell is flaky when it passed in one run and failed in the other on the same artifact (same sha256) on
 * the same agent, or when it flipped between passing and failing {@value #FLIPS_FOR_FLAKY} or more times over the
 * compared runs; a flaky cell is never a regression or a recovery.
 */
public final class RunComparison {
    /** How many earlier runs are compared: the window for repeated flips and for expected agents. */
    public static final int HISTORY = 5;
    static final int FLIPS_FOR_FLAKY = 3;

    public record Result(List<Change> regressions, List<Change> recoveries, List<Change> flaky,
                         List<AbsentAgent> absent) {
    }

    private RunComparison() {
    }

    /**
     * @param entryLabels the entries the suite has now (an agent is only missed for entries still in the suite)
     * @param history     earlier reports of the suite, newest first; only the first {@link #HISTORY} are read
     */
    public static Result compare(List<MatrixRow> now, Set<String> entryLabels, List<NightlyReport> history) {
        List<NightlyReport> window = history.subList(0, Math.min(HISTORY, history.size()));
        List<Map<String, MatrixRow>> past = window.stream().map(r -> {
            Map<String, MatrixRow> byKey = new HashMap<>();
            r.matrix().stream().filter(row -> row.agent().isPresent()).forEach(row -> byKey.put(row.key(), row));
            return byKey;
        }).toList();
        List<Change> regressions = new ArrayList<>();
        List<Change> recoveries = new ArrayList<>();
        List<Change> flaky = new ArrayList<>();
        for (MatrixRow row : now) {
            if (row.agent().isEmpty()) {
                continue;
            }
            Optional<Integer> previousIndex = latestWith(past, row.key());
            if (previousIndex.isEmpty()) {
                continue;
            }
            MatrixRow previous = past.get(previousIndex.get()).get(row.key());
            List<Outcome> outcomes = new ArrayList<>(List.of(row.outcome()));
            past.stream().map(p -> p.get(row.key())).filter(Objects::nonNull).forEach(p -> outcomes.add(p.outcome()));
            String previousRunId = window.get(previousIndex.get()).runId();
            if (sameArtifactFlip(row, previous) || flips(outcomes) >= FLIPS_FOR_FLAKY) {
                flaky.add(change(row, previous, previousRunId, sameArtifactFlip(row, previous)
                        ? "passed and failed on the same artifact (sha256 " + row.artifactSha256().orElseThrow()
                        + ") on the same agent" : "flipped between passing and failing " + flips(outcomes)
                        + " times over the last " + outcomes.size() + " runs", outcomes));
            } else if (previous.outcome().passed() && (row.outcome().failed() || row.outcome() == Outcome.ERROR)) {
                regressions.add(change(row, previous, previousRunId, row.reason(), outcomes));
            } else if (row.outcome().passed() && !previous.outcome().passed()
                    && previous.outcome() != Outcome.NOT_FINISHED) {
                recoveries.add(change(row, previous, previousRunId, row.reason(), outcomes));
            }
        }
        HazardChanges.compare(now, window, regressions, recoveries);
        return new Result(regressions, recoveries, flaky, absent(now, entryLabels, window));
    }

    /** Pass and fail on one artifact and host: the check, not the artifact, is unstable. */
    private static boolean sameArtifactFlip(MatrixRow now, MatrixRow previous) {
        return now.artifactSha256().isPresent() && now.artifactSha256().equals(previous.artifactSha256())
                && now.outcome() != Outcome.NOT_FINISHED && previous.outcome() != Outcome.NOT_FINISHED
                && now.outcome().passed() != previous.outcome().passed();
    }

    /** Changes between passing and not passing, skipping runs without a verdict. */
    private static int flips(List<Outcome> outcomes) {
        List<Boolean> passes = outcomes.stream().filter(o -> o != Outcome.NOT_FINISHED).map(Outcome::passed).toList();
        int flips = 0;
        for (int i = 1; i < passes.size(); i++) {
            if (passes.get(i) != passes.get(i - 1)) {
                flips++;
            }
        }
        return flips;
    }

    private static Optional<Integer> latestWith(List<Map<String, MatrixRow>> past, String key) {
        for (int i = 0; i < past.size(); i++) {
            if (past.get(i).containsKey(key)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static Change change(MatrixRow row, MatrixRow previous, String previousRunId, String reason,
                                 List<Outcome> history) {
        return new Change(row.entryLabel(), row.agent().orElseThrow(), row.expectation(), previous.outcome(),
                row.outcome(), previousRunId, reason, history);
    }

    /** Agents that verified an entry in a compared run but have no cell for it now. */
    private static List<AbsentAgent> absent(List<MatrixRow> now, Set<String> entryLabels, List<NightlyReport> window) {
        Set<String> present = new HashSet<>();
        now.forEach(row -> row.agent().ifPresent(agent -> present.add(row.entryLabel() + "\u0000" + agent)));
        Map<String, AbsentAgent> absent = new LinkedHashMap<>();
        for (NightlyReport report : window) {
            for (MatrixRow row : report.matrix()) {
                if (row.agent().isEmpty() || !entryLabels.contains(row.entryLabel())) {
                    continue;
                }
                String key = row.entryLabel() + "\u0000" + row.agent().get();
                if (!present.contains(key)) {
                    absent.putIfAbsent(key, new AbsentAgent(row.entryLabel(), row.agent().get(),
                            row.agentArchitecture().orElse(""), report.runId()));
                }
            }
        }
        return List.copyOf(absent.values());
    }
}
