package dev.verifarm.coordinator.e2e;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.JobState;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.Progress;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import dev.verifarm.proto.v1.Verdict;
import dev.verifarm.proto.v1.WatchJobRequest;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The farm's speed on this machine: the raw gRPC round trip (the floor), the time from submission to stored result
 * of a small job, and jobs per second through one coordinator process with 50 agents connected over loopback.
 * The agents are light in-process clients that answer each lease at once with a one-verdict report, so the figures
 * measure the farm, not the checks. Run: {@code mvn -pl coordinator -am verify -Pbench}.
 */
class FarmBench {
    private static final int AGENTS = 50;
    private static final int FLOOR_CALLS = 2000;
    private static final int LATENCY_JOBS = 100;
    private static final int THROUGHPUT_JOBS = 3000;
    private static final int SUBMITTERS = 8;

    @Test
    void measure() throws Exception {
        // the light agents below answer leases but never heartbeat: keep the watchdog from dropping them
        try (Farm farm = Farm.start("-Dverifarm.agent.silence-limit=1h")) {
            AtomicInteger results = new AtomicInteger();
            for (int i = 0; i < AGENTS; i++) {
                lightAgent(farm, "light-" + i, results);
            }
            SubmissionServiceGrpc.SubmissionServiceBlockingStub submission =
                    SubmissionServiceGrpc.newBlockingStub(farm.channel());
            while (submission.listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount() < AGENTS) {
                Thread.sleep(50);
            }
            String sha = upload(farm, GoBinaries.build("stubs", "amd64"));
            StringBuilder report = new StringBuilder(machine());

            long[] floor = new long[FLOOR_CALLS];
            for (int i = 0; i < FLOOR_CALLS; i++) {
                long t0 = System.nanoTime();
                submission.listAgents(ListAgentsRequest.newBuilder().setArchitecture(Architecture.ARM64).build());
                floor[i] = System.nanoTime() - t0;
            }
            report.append(line("raw gRPC round trip (unary ListAgents, in-memory)", floor, 1_000, "us"));

            long[] latency = new long[LATENCY_JOBS];
            for (int i = 0; i < LATENCY_JOBS; i++) {
                long t0 = System.nanoTime();
                String id = submission.submitJob(job(sha)).getId();
                Iterator<JobEvent> events = submission.watchJob(WatchJobRequest.newBuilder().setJobId(id).build());
                JobEvent last = null;
                while (events.hasNext()) {
                    last = events.next();
                }
                latency[i] = System.nanoTime() - t0;
                assertEquals(JobState.PASSED, last.getState());
            }
            report.append(line("submission to stored result, one small job at a time", latency, 1_000_000, "ms"));

            ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> submitted = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                submitted.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < THROUGHPUT_JOBS / SUBMITTERS; i++) {
                        submission.submitJob(job(sha));
                    }
                }, submitters));
            }
            CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long submittedAt = System.nanoTime();
            while (unfinished(submission) > 0) {
                Thread.sleep(20);
            }
            long seconds = System.nanoTime() - t0;
            submitters.shutdown();
            int jobs = THROUGHPUT_JOBS / SUBMITTERS * SUBMITTERS;
            report.append(String.format("throughput: %d jobs from %d concurrent submitters through %d agents: "
                            + "%.0f jobs/s end to end (all submitted after %.1f s, all stored after %.1f s)%n",
                    jobs, SUBMITTERS, AGENTS, jobs / (seconds / 1e9), (submittedAt - t0) / 1e9, seconds / 1e9));
            System.out.println(report);
            Files.writeString(Farm.workDir().resolve("bench-results.txt"), report.toString());
        }
    }

    private static long unfinished(SubmissionServiceGrpc.SubmissionServiceBlockingStub submission) {
        long n = 0;
        for (JobState state : List.of(JobState.QUEUED, JobState.LEASED, JobState.RUNNING)) {
            n += submission.listJobs(ListJobsRequest.newBuilder().setState(state).setLimit(1).build())
                    .getJobsCount();
        }
        return n;
    }

    private static SubmitJobRequest job(String sha) {
        return SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setSha256(sha))
                .setMode(ExecutionMode.STATIC)
                .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE)
                        .setResolver("main.addrOfMemcpyish").setTarget("main.memcpyish"))
                .build();
    }

    /** An agent that answers every lease at once with a MATCH, over its own stream on the shared channel. */
    private static void lightAgent(Farm farm, String name, AtomicInteger results) {
        StreamObserver<AgentMessage>[] requests = new StreamObserver[1];
        requests[0] = AgentServiceGrpc.newStub(farm.channel()).connect(new StreamObserver<>() {
            @Override
            public void onNext(CoordinatorMessage message) {
                if (!message.hasLease()) {
                    return;
                }
                String lease = message.getLease().getLeaseId();
                CheckReport report = CheckReport.newBuilder().setMode(ExecutionMode.STATIC)
                        .addResults(CheckResult.newBuilder().setExpectation(message.getLease().getExpectations(0))
                                .setVerdict(Verdict.MATCH).setReason("no-op check"))
                        .build();
                synchronized (requests) {
                    requests[0].onNext(AgentMessage.newBuilder().setProgress(Progress.newBuilder()
                            .setLeaseId(lease).setMessage("started")).build());
                    requests[0].onNext(AgentMessage.newBuilder().setResult(Result.newBuilder().setLeaseId(lease)
                            .setAttempt(message.getLease().getAttempt()).setReport(report)).build());
                }
                results.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        synchronized (requests) {
            requests[0].onNext(AgentMessage.newBuilder().setRegister(Register.newBuilder().setName(name)
                    .setHostname("bench").setArchitecture(Architecture.AMD64).setKernel("bench").setCpu("bench")
                    .setCapabilities(Capabilities.newBuilder().setNativeExecution(true)
                            .addServes(Architecture.AMD64))
                    .setMaxConcurrency(4).setAgentVersion("bench")).build());
        }
    }

    private static String upload(Farm farm, Path binary) throws Exception {
        CompletableFuture<ArtifactRef> ref = new CompletableFuture<>();
        StreamObserver<UploadArtifactRequest> up = SubmissionServiceGrpc.newStub(farm.channel())
                .uploadArtifact(new StreamObserver<>() {
                    public void onNext(ArtifactRef r) {
                        ref.complete(r);
                    }

                    public void onError(Throwable t) {
                        ref.completeExceptionally(t);
                    }

                    public void onCompleted() {
                    }
                });
        byte[] bytes = Files.readAllBytes(binary);
        up.onNext(UploadArtifactRequest.newBuilder().setHeader(UploadHeader.newBuilder().setName("stubs")).build());
        up.onNext(UploadArtifactRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
        up.onCompleted();
        return ref.get(60, TimeUnit.SECONDS).getSha256();
    }

    private static String line(String what, long[] nanos, long unit, String unitName) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%s: median %.1f %s, p99 %.1f %s (n=%d)%n", what,
                sorted[sorted.length / 2] / (double) unit, unitName,
                sorted[(int) (sorted.length * 0.99)] / (double) unit, unitName, sorted.length);
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        return String.format("machine: %s, %d CPUs, %s, Java %s%n", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version"));
    }
}
