package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.nightly.NightlyReports;
import dev.verifarm.coordinator.nightly.NightlyRuns;
import dev.verifarm.coordinator.nightly.RunSummary;
import dev.verifarm.coordinator.nightly.SuiteService;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.scheduling.JobService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The jobs a suite's latest runs fanned out, found through their reports' matrices. */
@ApplicationScoped
class SuiteJobs {
    /** How many of a suite's runs, newest first, the jobs list looks through. */
    static final int RUNS = 30;

    private final SuiteService suites;
    private final NightlyRuns runs;
    private final NightlyReports reports;
    private final JobService jobs;

    @Inject
    SuiteJobs(SuiteService suites, NightlyRuns runs, NightlyReports reports, JobService jobs) {
        this.suites = suites;
        this.runs = runs;
        this.reports = reports;
        this.jobs = jobs;
    }

    List<String> suiteNames() {
        return suites.list().stream().map(s -> s.name()).toList();
    }

    /** Newest first; {@code suite} must exist. */
    List<JobView> of(String suite, Optional<JobState> state, Optional<Architecture> architecture, int limit) {
        suites.get(suite);
        return runs.runs(suite, RUNS).stream().map(RunSummary::id).map(reports::report)
                .flatMap(r -> r.matrix().stream()).map(MatrixRow::jobId).flatMap(Optional::stream).distinct()
                .map(jobs::get)
                .filter(j -> state.map(s -> s == j.state()).orElse(true))
                .filter(j -> architecture.map(a -> a == j.architecture()).orElse(true))
                .sorted(Comparator.comparing(JobView::submittedAt).reversed()).limit(limit).toList();
    }
}
