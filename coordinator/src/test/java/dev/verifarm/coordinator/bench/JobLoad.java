package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.threads.DaemonThreads;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.WatchJobRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Small jobs through the farm, submitted over gRPC with the admin token and answered by a {@link LightFleet}: the
 * time from submission to stored result of one job at a time, jobs per second when many are submitted at once, and
 * how that rate changes with the number of expectations per job.
 */
final class JobLoad {
    /**
     * Jobs before the first figures: a fresh coordinator's JIT compiler is busy for thousands of jobs (2026-12-05:
     * after 2000 it still took a third of the coordinator's CPU), and a farm runs for days.
     */
    private static final int WARM_UP_JOBS = Integer.getInteger("verifarm.bench.warm-up", 3000);
    private static final int LATENCY_WARM_UP = 10;
    private static final int LATENCY_JOBS = 100;
    private static final int SUBMITTERS = 8;
    private static final int[] EXPECTATIONS_PER_JOB = {1, 10, 100, 500};
    /** Results per expectation-count step: fewer jobs as jobs grow, so each step stores about as many results. */
    private static final int RESULTS_PER_STEP = 20_000;
    private static final Duration FINISH_LIMIT = Duration.ofMinutes(20);

    private final Farm farm;
    private final String sha256;
    private final BenchReport report;
    private final int throughputJobs;
    private final SubmissionServiceGrpc.SubmissionServiceBlockingStub submission;

    /** Jobs on the uploaded artifact {@code sha256}; a throughput run submits {@code throughputJobs}. */
    JobLoad(Farm farm, String sha256, BenchReport report, int throughputJobs) {
        this.farm = farm;
        this.sha256 = sha256;
        this.report = report;
        this.throughputJobs = throughputJobs;
        this.submission = SubmissionServiceGrpc.newBlockingStub(farm.channel());
    }

    /** Runs jobs through a fresh coordinator, unmeasured, so that the first figures are not its start-up's. */
    void warmUp(LightFleet fleet) throws Exception {
        Run run = run(WARM_UP_JOBS, job(1), fleet);
        report.line("warm-up, not counted: %d 1-expectation jobs through %d agents in %.1f s%s", WARM_UP_JOBS,
                fleet.size(), run.seconds(), run.problems());
    }

    /** Latency of one small job at a time, then the throughput of many, with {@code fleet} as it is. */
    void measure(LightFleet fleet) throws Exception {
        SubmitJobRequest job = job(1);
        report.line("%d agents: submission to stored result, one 1-expectation job at a time (watched to its end):"
                + " %s", fleet.size(), Latencies.time(LATENCY_WARM_UP, LATENCY_JOBS, () -> runAndWatch(job)));
        ProcessCpu before = ProcessCpu.of(farm.coordinatorPid());
        Run run = run(throughputJobs, job, fleet);
        String cpu = ProcessCpu.of(farm.coordinatorPid()).since(before, throughputJobs);
        report.line("%d agents: %d 1-expectation jobs from %d submitters: %.1f jobs/s (all submitted after %.1f s,"
                        + " all stored after %.1f s%s)", fleet.size(), throughputJobs, SUBMITTERS,
                throughputJobs / run.seconds(), run.submittedSeconds(), run.seconds(), run.problems());
        report.line("%d agents: %d jobs: %s", fleet.size(), throughputJobs, cpu);
    }

    /** Jobs and results per second as the expectations per job grow, with {@code fleet} as it is. */
    void measureExpectationsPerJob(LightFleet fleet) throws Exception {
        for (int expectations : EXPECTATIONS_PER_JOB) {
            int jobs = Math.max(20, Math.min(throughputJobs, RESULTS_PER_STEP / expectations));
            Run run = run(jobs, job(expectations), fleet);
            report.line("%d agents, %d expectations per job: %d jobs: %.1f jobs/s, %.0f results/s (all stored after"
                            + " %.1f s%s)", fleet.size(), expectations, jobs, jobs / run.seconds(),
                    (double) jobs * expectations / run.seconds(), run.seconds(), run.problems());
        }
    }

    private void runAndWatch(SubmitJobRequest job) {
        String id = submission.submitJob(job).getId();
        Iterator<JobEvent> events = submission.watchJob(WatchJobRequest.newBuilder().setJobId(id).build());
        JobEvent last = null;
        while (events.hasNext()) {
            last = events.next();
        }
        if (last == null || last.getState() != Job.State.PASSED) {
            throw new AssertionError("job " + id + " ended " + last + "; " + farm.describe());
        }
    }

    /** How long a throughput run took and what went wrong in it. */
    private record Run(double submittedSeconds, double seconds, long notPassed, long missingResults) {
        String problems() {
            return (notPassed == 0 ? "" : "; " + notPassed + " jobs did not pass")
                    + (missingResults == 0 ? "" : "; " + missingResults + " results not sent by the agents");
        }
    }

    /**
     * Submits {@code jobs} copies of {@code job} from {@link #SUBMITTERS} threads, then waits until the agents have
     * sent every result and the coordinator lists no unfinished job.
     */
    private Run run(int jobs, SubmitJobRequest job, LightFleet fleet) throws Exception {
        long resultsBefore = fleet.results();
        long expectedResults = resultsBefore + (long) jobs * job.getExpectationsCount();
        long notPassedBefore = notPassed();
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS, DaemonThreads.named("bench-submit"));
        long t0 = System.nanoTime();
        try {
            List<Future<?>> submitted = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int share = jobs / SUBMITTERS + (s < jobs % SUBMITTERS ? 1 : 0);
                submitted.add(submitters.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        submission.submitJob(job);
                    }
                }));
            }
            for (Future<?> f : submitted) {
                f.get();
            }
        } finally {
            submitters.shutdown();
        }
        long submittedAt = System.nanoTime();
        long deadline = t0 + FINISH_LIMIT.toNanos();
        // the agents' own count first: it costs the coordinator nothing to poll
        while (fleet.results() < expectedResults && System.nanoTime() < deadline) {
            Farm.sleep(Duration.ofMillis(20));
        }
        while (unfinished()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(jobs + " jobs did not finish within " + FINISH_LIMIT + "; "
                        + farm.describe());
            }
            Farm.sleep(Duration.ofMillis(20));
        }
        long end = System.nanoTime();
        return new Run((submittedAt - t0) / 1e9, (end - t0) / 1e9, notPassed() - notPassedBefore,
                Math.max(0, expectedResults - fleet.results()));
    }

    private boolean unfinished() {
        return count(Job.State.QUEUED, 1) + count(Job.State.LEASED, 1) + count(Job.State.RUNNING, 1) > 0;
    }

    /** Jobs that ended other than PASSED, counting at most a listing's 1000 per state. */
    private long notPassed() {
        return count(Job.State.FAILED, 1000) + count(Job.State.ERROR, 1000) + count(Job.State.TIMED_OUT, 1000);
    }

    private long count(Job.State state, int limit) {
        return submission.listJobs(ListJobsRequest.newBuilder().setState(state).setLimit(limit).build())
                .getJobsCount();
    }

    /** A job of {@code expectations} RESOLVE checks on the artifact; the light agents answer MATCH to each. */
    SubmitJobRequest job(int expectations) {
        return SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setSha256(sha256))
                .setMode(ExecutionMode.STATIC).addAllExpectations(expectations(expectations)).build();
    }

    /** {@code count} distinct RESOLVE expectations, the first the stubs fixture's real one. */
    static List<Expectation> expectations(int count) {
        List<Expectation> list = new ArrayList<>();
        list.add(Expectation.newBuilder().setKind(CheckKind.RESOLVE).setResolver("main.addrOfMemcpyish")
                .setTarget("main.memcpyish").build());
        for (int i = 1; i < count; i++) {
            list.add(Expectation.newBuilder().setKind(CheckKind.RESOLVE).setResolver("main.addrOfStub" + i)
                    .setTarget("main.stub" + i).build());
        }
        return list;
    }
}
