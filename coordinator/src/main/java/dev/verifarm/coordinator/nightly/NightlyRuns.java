package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.nightly.report.ReportCodec;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.store.ArtifactEntity;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.store.NightlyCellEntity;
import dev.verifarm.coordinator.store.NightlyRunEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs of suites: started once per scheduled time across all coordinators (the database refuses a second run row
 * for the same suite and time), fanned out as one job per entry and live agent, pinned to that agent and queued
 * behind interactive work, and finished when every job has ended or the deadline has passed, with the report
 * {@link NightlyReports} assembles.
 */
@ApplicationScoped
public class NightlyRuns {
    private static final Logger LOG = Logger.getLogger(NightlyRuns.class);
    static final String RUNNING = "RUNNING";
    static final String FINISHED = "FINISHED";
    /** The most runs one listing returns. */
    public static final int MAX_RUNS_LISTED = 1000;

    private final SuiteService suites;
    private final JobService jobs;
    private final LiveAgents agents;
    private final NightlyReports reports;
    private final int priority;

    @Inject
    NightlyRuns(SuiteService suites, JobService jobs, LiveAgents agents, NightlyReports reports,
                CoordinatorConfig config) {
        this.suites = suites;
        this.jobs = jobs;
        this.agents = agents;
        this.reports = reports;
        this.priority = config.nightly().priority();
    }

    public enum Trigger { SCHEDULE, MANUAL }

    /** Starts the run of {@code suite} for {@code scheduledFor}, unless a coordinator has already started it. */
    public Optional<RunSummary> start(Suite suite, Instant scheduledFor, Trigger trigger) {
        try {
            return Optional.of(QuarkusTransaction.requiringNew().call(() -> claimAndFanOut(suite, scheduledFor,
                    trigger)));
        } catch (RuntimeException e) {
            // the unique (suite, scheduled time) refused the row: another coordinator started this run
            boolean taken = QuarkusTransaction.requiringNew().call(() -> NightlyRunEntity.count(
                    "suiteName = ?1 and scheduledFor = ?2", suite.name(), scheduledFor) > 0);
            if (taken) {
                LOG.debugf("run of %s for %s already started elsewhere", suite.name(), scheduledFor);
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Starts a run of the suite now, by hand. */
    public RunSummary trigger(String suiteName) {
        Suite suite = suites.get(suiteName);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return start(suite, now, Trigger.MANUAL).orElseThrow(() -> new InvalidInputException("name",
                "a run of " + suiteName + " for " + now + " has just been started; try again"));
    }

    private RunSummary claimAndFanOut(Suite suite, Instant scheduledFor, Trigger trigger) {
        NightlyRunEntity run = new NightlyRunEntity();
        run.id = UUID.randomUUID().toString();
        run.suiteName = suite.name();
        run.scheduledFor = scheduledFor;
        run.trigger = trigger.name();
        run.state = RUNNING;
        run.definition = SuiteDocument.write(suite).toString();
        run.startedAt = Instant.now();
        run.deadlineAt = run.startedAt.plus(suite.deadline());
        run.persist();
        // the unique (suite, scheduled time) is checked here, before any job is submitted
        NightlyRunEntity.flush();
        for (int i = 0; i < suite.entries().size(); i++) {
            fanOut(run.id, i, suite.entries().get(i));
        }
        LOG.infof("nightly run %s of %s (%s, for %s) started", run.id, suite.name(), trigger, scheduledFor);
        return summary(run);
    }

    private void fanOut(String runId, int index, SuiteEntry entry) {
        Optional<Architecture> architecture = entry.architecture();
        if (entry.artifact() instanceof ArtifactSource.Uploaded uploaded) {
            ArtifactEntity artifact = ArtifactEntity.findById(uploaded.sha256());
            if (artifact == null) {
                cell(runId, index, null, null, "no artifact with sha256 " + uploaded.sha256() + " has been uploaded");
                return;
            }
            architecture = Optional.of(artifact.architecture);
        }
        List<LiveAgents.Agent> serving = agents.serving(architecture.orElseThrow());
        if (serving.isEmpty()) {
            cell(runId, index, null, null, "no live agent serves " + architecture.get());
            return;
        }
        for (LiveAgents.Agent agent : serving) {
            JobView job = jobs.submit(new JobSpec(entry.artifact(), entry.architecture(), entry.expectations(),
                    entry.discover(), entry.mode(), false, priority, Optional.empty(), Optional.of(agent.name()),
                    entry.hazards()));
            cell(runId, index, agent, job.id(), null);
        }
    }

    private static void cell(String runId, int index, LiveAgents.Agent agent, String jobId,
                                          String error) {
        NightlyCellEntity cell = new NightlyCellEntity();
        cell.runId = runId;
        cell.entryIndex = index;
        cell.agentName = agent == null ? null : agent.name();
        cell.agentArchitecture = agent == null ? null : agent.architecture().name();
        cell.jobId = jobId;
        cell.error = error;
        cell.persist();
    }

    /**
     * Finishes every running run (of any coordinator) whose jobs have all ended, or whose deadline has passed:
     * its unfinished jobs are cancelled first, then its report is written.
     */
    public void settle() {
        List<String> running = QuarkusTransaction.requiringNew().call(() -> NightlyRunEntity
                .<NightlyRunEntity>list("state = ?1", RUNNING).stream().map(r -> r.id).toList());
        for (String runId : running) {
            try {
                settle(runId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot settle nightly run %s", runId);
            }
        }
    }

    /** Whether a run of the suite for that time exists: lets the clock skip a claim it would lose. */
    @Transactional
    boolean started(String suiteName, Instant scheduledFor) {
        return NightlyRunEntity.count("suiteName = ?1 and scheduledFor = ?2", suiteName, scheduledFor) > 0;
    }

    private void settle(String runId) {
        List<String> unfinished = QuarkusTransaction.requiringNew().call(() -> unfinishedJobs(runId));
        boolean pastDeadline = QuarkusTransaction.requiringNew().call(() -> NightlyRunEntity
                .<NightlyRunEntity>findById(runId).deadlineAt.isBefore(Instant.now()));
        if (!unfinished.isEmpty() && !pastDeadline) {
            return;
        }
        unfinished.forEach(jobs::cancel);
        QuarkusTransaction.requiringNew().run(() -> {
            NightlyReport report = reports.assemble(NightlyRunEntity.findById(runId), Instant.now());
            // only one coordinator writes the report: the update applies while the run is still running
            int updated = NightlyRunEntity.update("state = ?1, finishedAt = ?2, report = ?3 where id = ?4"
                    + " and state = ?5", FINISHED, report.finishedAt().orElseThrow(), ReportCodec.encode(report),
                    runId, RUNNING);
            if (updated == 1) {
                LOG.infof("nightly run %s of %s finished: %s", runId, report.suite(), report.summary());
            }
        });
    }

    private static List<String> unfinishedJobs(String runId) {
        return NightlyCellEntity.<NightlyCellEntity>list("runId = ?1 and jobId is not null", runId).stream()
                .filter(c -> !JobEntity.<JobEntity>findById(c.jobId).state.terminal()).map(c -> c.jobId).toList();
    }

    @Transactional
    public List<RunSummary> runs(String suiteName, int limit) {
        SuiteDocument.requireName("name", suiteName);
        if (limit < 1 || limit > MAX_RUNS_LISTED) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_RUNS_LISTED + ", got " + limit);
        }
        return NightlyRunEntity.<NightlyRunEntity>find("suiteName = ?1 order by startedAt desc", suiteName)
                .page(0, limit).stream().map(NightlyRuns::summary).toList();
    }

    private static RunSummary summary(NightlyRunEntity run) {
        return new RunSummary(run.id, run.suiteName, run.state, run.trigger, run.scheduledFor, run.startedAt,
                run.deadlineAt, Optional.ofNullable(run.finishedAt),
                Optional.ofNullable(run.report).map(r -> ReportCodec.decode(r).summary()));
    }
}
