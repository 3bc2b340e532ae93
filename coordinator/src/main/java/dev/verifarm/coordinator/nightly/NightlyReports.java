package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.nightly.report.ReportCodec;
import dev.verifarm.coordinator.nightly.report.RunComparison;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.store.NightlyCellEntity;
import dev.verifarm.coordinator.store.NightlyRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report of a nightly run: each cell's outcome from its job, compared with the suite's earlier runs
 * (regressions, recoveries, flaky and absent rows); stored when {@link NightlyRuns} finishes the run, assembled from
 * the jobs so far while it is still running.
 */
@ApplicationScoped
public class NightlyReports {
    private final JobService jobs;

    @Inject
    NightlyReports(JobService jobs) {
        this.jobs = jobs;
    }

    /** The report of a run: the stored one once it has finished, else what it has found so far. */
    @Transactional
    public NightlyReport report(String runId) {
        NightlyRunEntity run = find(runId);
        return run.report != null ? ReportCodec.decode(run.report) : assemble(run, null);
    }

    /** The finished reports of a suite before {@code run}, newest first. */
    private static List<NightlyReport> history(NightlyRunEntity run, int limit) {
        return NightlyRunEntity.<NightlyRunEntity>find("suiteName = ?1 and state = ?2 and startedAt < ?3"
                        + " order by startedAt desc", run.suiteName, NightlyRuns.FINISHED, run.startedAt).page(0, limit)
                .stream().map(r -> ReportCodec.decode(r.report)).toList();
    }

    /** The report of {@code run} as it stands: finished at {@code finishedAt}, or still running when that is null. */
    NightlyReport assemble(NightlyRunEntity run, Instant finishedAt) {
        // The report only reads, several queries per cell: flushed automatically, each query would first dirty-check
        // every entity loaded so far (at 1000 agents x 50 expectations, 19 s of a run's settling in the farm bench)
        NightlyRunEntity.getEntityManager().setFlushMode(FlushModeType.COMMIT);
        Suite suite = SuiteService.parse(run.definition, Optional.empty());
        List<MatrixRow> matrix = new ArrayList<>();
        for (NightlyCellEntity cell : NightlyCellEntity.<NightlyCellEntity>list("runId = ?1 order by entryIndex,"
                + " agentName", run.id)) {
            Optional<JobView> job = cell.jobId == null ? Optional.empty() : Optional.of(jobs.get(cell.jobId));
            matrix.addAll(MatrixBuilder.rows(suite.entries().get(cell.entryIndex), cell, job));
        }
        List<NightlyReport> history = history(run, RunComparison.HISTORY);
        Set<String> labels = suite.entries().stream().map(SuiteEntry::label).collect(Collectors.toSet());
        RunComparison.Result compared = RunComparison.compare(matrix, labels, history);
        NightlyReport.Summary summary = new NightlyReport.Summary(matrix.size(),
                (int) matrix.stream().filter(r -> r.outcome().passed()).count(),
                (int) matrix.stream().filter(r -> r.outcome().failed()).count(),
                (int) matrix.stream().filter(r -> r.outcome().errored()).count(),
                compared.regressions().size(), compared.recoveries().size(), compared.flaky().size(),
                compared.absent().size());
        return new NightlyReport(run.id, run.suiteName, finishedAt == null ? NightlyRuns.RUNNING : NightlyRuns.FINISHED,
                run.scheduledFor, run.trigger, run.startedAt, run.deadlineAt, Optional.ofNullable(finishedAt),
                history.stream().findFirst().map(NightlyReport::runId), summary, matrix, compared.regressions(),
                compared.recoveries(), compared.flaky(), compared.absent());
    }

    private static NightlyRunEntity find(String runId) {
        NightlyRunEntity run = runId == null ? null : NightlyRunEntity.findById(runId);
        if (run == null) {
            throw new NotFoundException("id", "no nightly run " + runId);
        }
        return run;
    }
}
