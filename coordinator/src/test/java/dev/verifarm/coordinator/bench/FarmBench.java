package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.UploadHeader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The farm's speed and size on this machine, through one coordinator process on the embedded database: the gRPC
 * floor, then for each fleet size (1, 10, 100 and 1000 light agents, or {@code -Dverifarm.bench.agents=1,10}) the
 * time to connect the agents and what they cost the coordinator, job latency and throughput, the throughput as jobs
 * grow (at 10 agents) and a nightly run over the whole fleet. It prints and writes figures; it does not judge them.
 * {@code -Dverifarm.bench.jobs=N} sets the jobs of a throughput run (1000), {@code -Dverifarm.bench.warm-up=N} the
 * jobs run first, unmeasured, so that the coordinator's JIT compiler has settled (3000); {@code -Dverifarm.bench.jfr=FILE}
 * records the coordinator with Java Flight Recorder ({@code -Dverifarm.bench.jfr-settings=FILE.jfc}: other settings
 * than JFR's profile, such as a finer sampling period). Run: {@code mvn -B -pl proto,cli,coordinator verify -Pbench
 * -Dit.test=FarmBench} after {@code mvn -pl agent package}.
 */
class FarmBench {
    private static final String DEFAULT_AGENTS = "1,10,100,1000";
    private static final int EXPECTATIONS_SWEEP_AGENTS = 10;
    private static final int NIGHTLY_MIN_AGENTS = 10;
    /** Below this, what agents add to the coordinator is lost in what running the first jobs adds. */
    private static final int PER_AGENT_MIN_AGENTS = 100;

    @Test
    void measure() throws Exception {
        List<Integer> fleetSizes = fleetSizes();
        try (BenchReport report = BenchReport.begin("farm");
             Farm farm = Farm.start(coordinatorOptions());
             LightFleet fleet = new LightFleet(farm)) {
            RawGrpcFloor.measure(farm.certificates(), report);
            SubmissionServiceGrpc.SubmissionServiceBlockingStub submission =
                    SubmissionServiceGrpc.newBlockingStub(farm.channel());
            ListAgentsRequest noAgents = ListAgentsRequest.newBuilder().setArchitecture(Architecture.ARM64).build();
            report.line("floor: coordinator unary gRPC ListAgents, TLS + admin token, empty answer: %s",
                    Latencies.time(500, 2000, () -> submission.listAgents(noAgents)));

            CoordinatorMemory idle = CoordinatorMemory.of(farm.coordinatorPid());
            report.line("0 agents: coordinator %s", idle);
            String sha256 = farm.upload(UploadHeader.newBuilder().setName("stubs").build(),
                    Files.readAllBytes(GoBinaries.build("stubs", "amd64"))).getSha256();
            JobLoad jobs = new JobLoad(farm, sha256, report, Integer.getInteger("verifarm.bench.jobs", 1000));
            NightlyScale nightly = new NightlyScale(farm, sha256, report);
            for (int size : fleetSizes) {
                int before = fleet.size();
                Duration connect = fleet.growTo(size);
                CoordinatorMemory memory = CoordinatorMemory.of(farm.coordinatorPid());
                report.line("%d agents: %d more connected and listed in %.2f s; coordinator %s%s", size,
                        size - before, connect.toMillis() / 1e3, memory,
                        size < PER_AGENT_MIN_AGENTS ? "" : "; " + memory.perAgent(idle, size));
                if (before == 0) {
                    jobs.warmUp(fleet);
                }
                jobs.measure(fleet);
                if (size == EXPECTATIONS_SWEEP_AGENTS) {
                    jobs.measureExpectationsPerJob(fleet);
                }
                if (size >= NIGHTLY_MIN_AGENTS) {
                    nightly.measure(fleet);
                }
            }
            report.line("light agents whose stream the coordinator ended during the run: %d of %d", fleet.lost(),
                    fleet.size());
        }
    }

    private static List<Integer> fleetSizes() {
        return Arrays.stream(System.getProperty("verifarm.bench.agents", DEFAULT_AGENTS).split(","))
                .map(String::strip).map(Integer::valueOf).sorted().toList();
    }

    /**
     * Nightly runs are looked at every second; Java Flight Recorder records when asked; {@code
     * -Dverifarm.bench.coordinator-options="..."} adds options to the coordinator's JVM.
     */
    private static String[] coordinatorOptions() {
        List<String> options = new ArrayList<>(List.of("-Dverifarm.nightly.check-interval=1s"));
        String jfr = System.getProperty("verifarm.bench.jfr", "");
        if (!jfr.isBlank()) {
            options.add(CoordinatorOptions.flightRecording(jfr));
        }
        options.addAll(CoordinatorOptions.fromProperty());
        return options.toArray(String[]::new);
    }
}
