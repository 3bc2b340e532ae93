package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.cli.exit.ExitStatus;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Nightly fleet-wide runs: start one, list a suite's runs, read a report, save it as JUnit XML. */
@Command(name = "nightly", description = "Start, list and read nightly fleet-wide runs.",
        subcommands = {NightlyCommand.Run.class, NightlyCommand.Runs.class, NightlyCommand.Report.class,
                NightlyCommand.Junit.class},
        footer = {"", "A finished run's report exits 1 when a cell failed, 2 when one could not be judged."})
final class NightlyCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofSeconds(2);

    @ParentCommand
    private Verifarm verifarm;

    @Spec
    private CommandSpec spec;

    /** No subcommand: refused, with the ones there are. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "expected run SUITE, runs SUITE, report RUN_ID or junit"
                + " RUN_ID");
    }

    @Command(name = "run", description = "Start a run of SUITE now; print its id, or with --wait wait for it and"
            + " print its report.")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        private NightlyCommand nightly;

        @Parameters(paramLabel = "SUITE", description = "the suite's name")
        private String suite;

        @Option(names = "--wait", description = "wait for the run and print its report; the exit status is its")
        private boolean wait;

        @Override
        public Integer call() {
            try (Session session = nightly.verifarm.session()) {
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
        }
    }

    @Command(name = "runs", description = "List the suite's runs, newest first, with their summaries.")
    static final class Runs implements Callable<Integer> {
        @ParentCommand
        private NightlyCommand nightly;

        @Parameters(paramLabel = "SUITE", description = "the suite's name")
        private String suite;

        @Option(names = "--limit", paramLabel = "N", description = "how many (at most 1000)")
        private Optional<String> limit = Optional.empty();

        @Override
        public Integer call() {
            int most = limit.map(l -> Wire.positive("--limit", l, 1000)).orElse(0);
            try (Session session = nightly.verifarm.session()) {
                ListRunsResponse runs = session.connection().call(() -> session.connection().nightly()
                        .listRuns(ListRunsRequest.newBuilder().setSuite(suite).setLimit(most).build()));
                Table table = new Table("ID", "STATE", "TRIGGER", "STARTED", "CELLS", "PASSED", "FAILED", "ERRORS",
                        "REGRESSIONS");
                for (NightlyRun run : runs.getRunsList()) {
                    NightlySummary s = run.getSummary();
                    boolean done = run.hasSummary();
                    table.add(run.getId(), run.getState(), run.getTrigger(), JobText.time(run.getStartedAt()),
                            done ? "" + s.getCells() : "", done ? "" + s.getPassed() : "",
                            done ? "" + s.getFailed() : "", done ? "" + s.getErrors() : "",
                            done ? "" + s.getRegressions() : "");
                }
                table.print(session.out());
                return ExitStatus.OK;
            }
        }
    }

    @Command(name = "report", description = "Show the run's matrix, regressions, recoveries, flaky cells and absent"
            + " agents.")
    static final class Report implements Callable<Integer> {
        @ParentCommand
        private NightlyCommand nightly;

        @Parameters(paramLabel = "RUN_ID", description = "the run's id")
        private String runId;

        @Option(names = "--json", description = "the whole report as JSON")
        private boolean json;

        @Override
        public Integer call() {
            try (Session session = nightly.verifarm.session()) {
                NightlyReport report = fetch(runId, session);
                if (json) {
                    ProtoJson.print(report, session.out());
                    return exitStatus(report);
                }
                return print(report, session.out());
            }
        }
    }

    @Command(name = "junit", description = "Write the run's report as JUnit XML, to FILE or stdout.")
    static final class Junit implements Callable<Integer> {
        @ParentCommand
        private NightlyCommand nightly;

        @Parameters(paramLabel = "RUN_ID", description = "the run's id")
        private String runId;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write it")
        private Optional<Path> output = Optional.empty();

        @Override
        public Integer call() {
            try (Session session = nightly.verifarm.session()) {
                JunitReport junit = session.connection().call(() -> session.connection().nightly()
                        .getJunitReport(GetReportRequest.newBuilder().setRunId(runId).build()));
                if (output.isEmpty()) {
                    session.out().print(junit.getXml());
                    return ExitStatus.OK;
                }
                try {
                    Files.writeString(output.get(), junit.getXml(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw CliException.error("cannot write " + output.get() + ": " + e.getMessage());
                }
                session.err().println("wrote the JUnit report of run " + runId + " to " + output.get());
                return ExitStatus.OK;
            }
        }
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
