package dev.verifarm.cli.command;

import dev.verifarm.cli.Args;
import dev.verifarm.cli.CliException;
import dev.verifarm.cli.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.ProtoJson;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.AbsentAgent;
import dev.verifarm.proto.v1.GetReportRequest;
import dev.verifarm.proto.v1.JunitReport;
import dev.verifarm.proto.v1.ListRunsRequest;
import dev.verifarm.proto.v1.ListRunsResponse;
import dev.verifarm.proto.v1.MatrixChange;
import dev.verifarm.proto.v1.MatrixRow;
import dev.verifarm.proto.v1.NightlyReport;
import dev.verifarm.proto.v1.NightlyRun;
import dev.verifarm.proto.v1.NightlySummary;
import dev.verifarm.proto.v1.TriggerRunRequest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Nightly fleet-wide runs: start one, list a suite's runs, read a report, save it as JUnit XML. */
public final class NightlyCommand implements Command {
    private static final Duration POLL = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "nightly";
    }

    @Override
    public String usage() {
        return "nightly run SUITE [--wait]\n    start a run of SUITE now; prints its id, or with --wait waits for it"
                + " and prints its report\n"
                + "nightly runs SUITE [--limit N]\n    the suite's runs, newest first\n"
                + "nightly report RUN_ID [--json]\n    the run's matrix, regressions, recoveries, flaky cells and"
                + " absent agents\n"
                + "nightly junit RUN_ID [-o FILE]\n    the report as JUnit XML, to FILE or stdout\n"
                + "    a finished run's report exits 1 when a cell failed, 2 when one could not be judged";
    }

    @Override
    public Set<String> options() {
        return Set.of("limit", "output");
    }

    @Override
    public Set<String> flags() {
        return Set.of("wait", "json");
    }

    @Override
    public int run(Args args, Session session) {
        List<String> words = args.positional();
        if (words.size() != 2) {
            throw CliException.error("expected run SUITE, runs SUITE, report RUN_ID or junit RUN_ID, got '"
                    + String.join(" ", words) + "'");
        }
        String what = words.get(1);
        return switch (words.get(0)) {
            case "run" -> trigger(what, args.flag("wait"), session);
            case "runs" -> runs(what, args.value("limit").map(l -> Wire.positive("--limit", l, 1000)).orElse(0),
                    session);
            case "report" -> report(what, args.flag("json"), session);
            case "junit" -> junit(what, args.value("output").map(Path::of).orElse(null), session);
            default -> throw CliException.error("unknown nightly command '" + words.get(0)
                    + "'; expected run, runs, report or junit");
        };
    }

    private int trigger(String suite, boolean wait, Session session) {
        NightlyRun run = session.connection().call(() -> session.connection().nightly()
                .triggerRun(TriggerRunRequest.newBuilder().setSuite(suite).build()));
        if (!wait) {
            session.out().println(run.getId());
            return ExitStatus.OK;
        }
        session.err().println("started run " + run.getId() + " of suite " + suite + ", due by "
                + JobText.time(run.getDeadlineAt()));
        NightlyReport report = fetch(run.getId(), session);
        while (!report.getRun().getState().equals("FINISHED")) {
            sleep();
            report = fetch(run.getId(), session);
        }
        return print(report, session.out());
    }

    private int runs(String suite, int limit, Session session) {
        ListRunsResponse runs = session.connection().call(() -> session.connection().nightly()
                .listRuns(ListRunsRequest.newBuilder().setSuite(suite).setLimit(limit).build()));
        Table table = new Table("ID", "STATE", "TRIGGER", "STARTED", "CELLS", "PASSED", "FAILED", "ERRORS",
                "REGRESSIONS");
        for (NightlyRun run : runs.getRunsList()) {
            NightlySummary s = run.getSummary();
            boolean done = run.hasSummary();
            table.add(run.getId(), run.getState(), run.getTrigger(), JobText.time(run.getStartedAt()),
                    done ? "" + s.getCells() : "", done ? "" + s.getPassed() : "", done ? "" + s.getFailed() : "",
                    done ? "" + s.getErrors() : "", done ? "" + s.getRegressions() : "");
        }
        table.print(session.out());
        return ExitStatus.OK;
    }

    private int report(String runId, boolean json, Session session) {
        NightlyReport report = fetch(runId, session);
        if (json) {
            ProtoJson.print(report, session.out());
            return exitStatus(report);
        }
        return print(report, session.out());
    }

    private int junit(String runId, Path output, Session session) {
        JunitReport junit = session.connection().call(() -> session.connection().nightly()
                .getJunitReport(GetReportRequest.newBuilder().setRunId(runId).build()));
        if (output == null) {
            session.out().print(junit.getXml());
            return ExitStatus.OK;
        }
        try {
            Files.writeString(output, junit.getXml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.error("cannot write " + output + ": " + e.getMessage());
        }
        session.err().println("wrote the JUnit report of run " + runId + " to " + output);
        return ExitStatus.OK;
    }

    private static NightlyReport fetch(String runId, Session session) {
        return session.connection().call(() -> session.connection().nightly()
                .getReport(GetReportRequest.newBuilder().setRunId(runId).build()));
    }

    private static int print(NightlyReport report, PrintStream out) {
        NightlyRun run = report.getRun();
        out.println("run " + run.getId() + " of suite " + run.getSuite() + "  " + run.getState() + " ("
                + run.getTrigger().toLowerCase(Locale.ROOT) + ", started "
                + JobText.time(run.getStartedAt()) + ")");
        if (run.hasSummary()) {
            NightlySummary s = run.getSummary();
            out.println("  " + s.getCells() + " cells: " + s.getPassed() + " passed, " + s.getFailed() + " failed, "
                    + s.getErrors() + " errors; " + s.getRegressions() + " regressions, " + s.getRecoveries()
                    + " recoveries, " + s.getFlaky() + " flaky, " + s.getAbsent() + " absent agents");
        }
        Table matrix = new Table("OUTCOME", "ENTRY", "AGENT", "EXPECTATION", "REASON");
        for (MatrixRow row : report.getMatrixList()) {
            matrix.add(row.getOutcome(), row.getEntryLabel(), row.getAgent().isEmpty() ? "-" : row.getAgent(),
                    row.getExpectation(), row.getReason().replace('\n', ' '));
        }
        matrix.print(out);
        changes("regression", report.getRegressionsList(), out);
        changes("recovery", report.getRecoveriesList(), out);
        changes("flaky", report.getFlakyList(), out);
        for (AbsentAgent absent : report.getAbsentList()) {
            out.println("absent: " + absent.getAgent() + " (" + absent.getAgentArchitecture() + ") for "
                    + absent.getEntryLabel() + ", last seen in run " + absent.getLastSeenRunId());
        }
        return exitStatus(report);
    }

    private static void changes(String kind, List<MatrixChange> changes, PrintStream out) {
        for (MatrixChange c : changes) {
            out.println(kind + ": " + c.getEntryLabel() + " on " + c.getAgent() + ", " + c.getExpectation() + ": "
                    + c.getBefore() + " -> " + c.getNow() + (c.getReason().isEmpty() ? "" : " (" + c.getReason() + ")"));
        }
    }

    /** A finished run: 1 when a cell failed, 2 when one could not be judged, else 0; a running one: 0. */
    private static int exitStatus(NightlyReport report) {
        if (!report.getRun().hasSummary()) {
            return ExitStatus.OK;
        }
        NightlySummary s = report.getRun().getSummary();
        return s.getFailed() > 0 ? ExitStatus.VERIFICATION_FAILED : s.getErrors() > 0 ? ExitStatus.ERROR
                : ExitStatus.OK;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("interrupted while waiting for the run");
        }
    }
}
