package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.nightly.report.Change;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.nightly.report.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A nightly run as its page shows it: the changes since earlier runs (regressions first), and the matrix as a grid
 * of entry × expectation rows and agent columns, each cell coloured by its outcome with its outcomes in earlier runs.
 */
public record RunPage(String id, String suite, String state, List<Fact> facts, String summary,
                      List<ChangeRow> regressions, List<ChangeRow> flaky, List<ChangeRow> recoveries,
                      List<Fact> absent, List<Column> columns, List<Row> rows) {

    /** {@code history}: the cell's outcomes, newest first, this run included. */
    public record ChangeRow(String entry, String agent, String expectation, String before, String now,
                            String reason, List<String> history) {
    }

    public record Column(String agent, String architecture) {
    }

    /**
     * One entry × expectation across the agents; {@code unreached} says why no agent ran it.
     *
     * @param regressed whether any of its cells regressed: such rows come first
     */
    public record Row(String entry, String expectation, boolean regressed, String unreached, List<Cell> cells) {
    }

    /**
     * {@code outcome} is empty where the agent had no such cell; {@code history} holds its outcomes in earlier runs,
     * newest first ({@code -} where it had none).
     */
    public record Cell(String outcome, String jobId, String reason, boolean regressed, List<String> history) {
    }

    static RunPage of(NightlyReport report, List<NightlyReport> earlier) {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("suite", report.suite()),
                new Fact("state", report.state()), new Fact("trigger", report.trigger()),
                new Fact("scheduled for", Times.utc(report.scheduledFor())),
                new Fact("started", Times.utc(report.startedAt())),
                new Fact("deadline", Times.utc(report.deadlineAt()))));
        report.finishedAt().ifPresent(at -> facts.add(new Fact("finished", Times.utc(at))));
        report.previousRunId().ifPresent(previous -> facts.add(new Fact("compared with run", previous)));
        Set<String> regressed = new HashSet<>();
        report.regressions().forEach(c -> regressed.add(key(c.entryLabel(), c.agent(), c.expectation())));
        List<Column> columns = report.matrix().stream().filter(r -> r.agent().isPresent())
                .map(r -> new Column(r.agent().get(), r.agentArchitecture().orElse("")))
                .distinct().sorted(Comparator.comparing(Column::agent)).toList();
        return new RunPage(report.runId(), report.suite(), report.state(), facts, RunRow.describe(report.summary()),
                changes(report.regressions()), changes(report.flaky()), changes(report.recoveries()),
                report.absent().stream().map(a -> new Fact(a.agent() + " (" + a.agentArchitecture() + ")",
                        a.entryLabel() + ", last seen in run " + a.lastSeenRunId())).toList(),
                columns, rows(report.matrix(), columns, regressed, earlier));
    }

    private static List<Row> rows(List<MatrixRow> matrix, List<Column> columns, Set<String> regressed,
                                  List<NightlyReport> earlier) {
        List<Map<String, Outcome>> past = earlier.stream().map(r -> {
            Map<String, Outcome> byKey = new HashMap<>();
            r.matrix().forEach(row -> byKey.put(row.key(), row.outcome()));
            return byKey;
        }).toList();
        // entry × expectation, in the suite's order
        Map<String, List<MatrixRow>> byRow = new LinkedHashMap<>();
        for (MatrixRow row : matrix) {
            byRow.computeIfAbsent(row.entry() + "\u0000" + row.expectation(), k -> new ArrayList<>()).add(row);
        }
        List<Row> rows = new ArrayList<>();
        for (List<MatrixRow> cells : byRow.values()) {
            MatrixRow first = cells.get(0);
            String unreached = cells.stream().filter(c -> c.agent().isEmpty()).map(MatrixRow::reason).findFirst()
                    .orElse("");
            List<Cell> line = new ArrayList<>();
            for (Column column : columns) {
                MatrixRow cell = cells.stream().filter(c -> c.agent().filter(column.agent()::equals).isPresent())
                        .findFirst().orElse(null);
                if (cell == null) {
                    line.add(new Cell("", "", "", false, List.of()));
                } else {
                    boolean isRegressed = regressed.contains(key(cell.entryLabel(), column.agent(),
                            cell.expectation()));
                    line.add(new Cell(cell.outcome().name(), cell.jobId().orElse(""), cell.reason(), isRegressed,
                            past.stream().map(p -> p.containsKey(cell.key()) ? p.get(cell.key()).name() : "-")
                                    .toList()));
                }
            }
            rows.add(new Row(first.entryLabel(), first.expectation(), line.stream().anyMatch(Cell::regressed),
                    unreached, line));
        }
        rows.sort(Comparator.comparing(r -> !r.regressed()));
        return rows;
    }

    private static List<ChangeRow> changes(List<Change> changes) {
        return changes.stream().map(c -> new ChangeRow(c.entryLabel(), c.agent(), c.expectation(), c.before().name(),
                c.now().name(), c.reason(), c.history().stream().map(Outcome::name).toList())).toList();
    }

    /** As {@link MatrixRow#key()} names a cell. */
    private static String key(String entry, String agent, String expectation) {
        return entry + "\u0000" + agent + "\u0000" + expectation;
    }
}
