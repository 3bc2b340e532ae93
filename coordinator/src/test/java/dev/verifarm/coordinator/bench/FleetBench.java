package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issue 4's figures, with real processes and default lease settings: how long after an agent dies its work is
 * leased again elsewhere, and jobs per second through one, two and three coordinators on one PostgreSQL, with what each job costs the database and the coordinators.
 * Run with {@code mvn -pl coordinator -am verify -Pbench}; it prints and writes (see {@link BenchReport}), it does
 * not judge.
 */
class FleetBench {
    private static final int KILLS = 5;
    private static final int JOBS = Integer.getInteger("verifarm.bench.jobs", 1000);
    /**
     * Jobs before measuring, the same for every number of coordinators: JIT compilers are still busy after hundreds
     * of jobs (2026-12-05: with 20, the coordinator's compiler threads took more CPU than its scheduling thread
     * during the measured run), and a farm runs for days, so the figures are a warm farm's. The same total warms
     * the four agents (and this process) equally whatever the number of coordinators; with 1500 per coordinator,
     * as before, three coordinators' agents had seen three times as many jobs and cost half as much CPU per job.
     */
    private static final int WARM_UP_JOBS = Integer.getInteger("verifarm.bench.warm-up", 4500);
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish");

    private static BenchReport report;

    @BeforeAll
    static void begin() {
        report = BenchReport.begin("fleet");
    }

    @AfterAll
    static void end() {
        report.close();
    }

    @Test
    void requeueDelayAfterAnAgentIsKilled() throws Exception {
        Path stubs = GoBinaries.build("stubs", "amd64");
        long[] delays = new long[KILLS];
        try (Farm farm = Farm.start()) {
            FarmApi api = new FarmApi(farm);
            farm.startAgent("survivor", "amd64", 1);
            for (int i = 0; i < KILLS; i++) {
                Process victim = farm.startAgent("victim-" + i, "amd64", 4);
                String name = "victim-" + i;
                api.awaitAgents(names -> names.contains(name), "list " + name);
                Path hostFile = Farm.workDir().resolve("host-" + UUID.randomUUID());
                Files.copy(Path.of("/usr/bin/cat"), hostFile);
                String id = api.submit(Map.of("artifact", Map.of("hostPath", hostFile.toString(),
                                "architecture", "amd64"), "mode", "native",
                        "expectations", List.of(Map.of("kind", "resolve", "resolver", "main.addrOfMemcpyish",
                                "target", "main.memcpyish")))).get("id").asText();
                api.awaitJob(id, Duration.ofMinutes(1), j -> j.get("state").asText().equals("RUNNING")
                        && j.at("/attempts/0/agentName").asText().equals(name), "run on " + name);
                Farm.sleep(Duration.ofSeconds(1));
                victim.destroyForcibly();
                Instant killed = Instant.now();
                Files.copy(stubs, hostFile, StandardCopyOption.REPLACE_EXISTING);
                var job = api.awaitJob(id, Duration.ofMinutes(1), j -> j.get("attempts").size() == 2, "requeue");
                delays[i] = Duration.between(killed, Instant.parse(job.at("/attempts/1/leasedAt").asText()))
                        .toMillis();
                api.awaitFinished(id, Duration.ofMinutes(1));
            }
        }
        Arrays.sort(delays);
        report.line("requeue after SIGKILL (reconnect grace 2 s, %d kills): min %d ms, median %d ms, max %d ms", KILLS,
                delays[0], delays[KILLS / 2], delays[KILLS - 1]);
    }

    @Test
    void throughputOfOneTwoAndThreeCoordinatorsOnPostgres() throws Exception {
        Path stubs = GoBinaries.build("stubs", "amd64");
        for (int coordinators : coordinatorCounts()) {
            try (PostgresServer database = PostgresServer.start()) {
                Path artifacts = Farm.workDir().resolve("shared-artifacts-" + UUID.randomUUID());
                List<Farm> farms = new ArrayList<>();
                try {
                    List<FarmApi> apis = new ArrayList<>();
                    for (int c = 0; c < coordinators; c++) {
                        Farm farm = Farm.startOnPostgres(database, artifacts, coordinatorOptions(coordinators, c));
                        farms.add(farm);
                        apis.add(new FarmApi(farm));
                    }
                    for (int a = 0; a < 4; a++) {
                        farms.get(a % coordinators).startAgent("agent-" + a, "amd64", 4);
                    }
                    for (FarmApi api : apis) {
                        // every coordinator lists the whole fleet
                        api.awaitAgents(names -> names.size() == 4, "register");
                    }
                    String sha = apis.get(0).upload(stubs, "stubs").get("sha256").asText();
                    FarmApi.submitAll(apis, WARM_UP_JOBS, FarmApi.resolveJob(sha, CHECKS));
                    database.awaitAllJobsFinished(Duration.ofMinutes(5), "warm-up");
                    WorkCost idle = WorkCost.take(database, farms);
                    WorkCost before = WorkCost.take(database, farms);
                    report.line("%d coordinator(s) on PostgreSQL, idle with 4 agents, per second: %s", coordinators,
                            before.perSecond(idle));
                    Instant begin = Instant.now();
                    FarmApi.submitAll(apis, JOBS, FarmApi.resolveJob(sha, CHECKS));
                    database.awaitAllJobsFinished(Duration.ofMinutes(10), "bench");
                    long millis = Duration.between(begin, Instant.now()).toMillis();
                    report.line("%d coordinator(s) on PostgreSQL, 4 agents x 4 slots: %d jobs in %d ms, %.1f jobs/s",
                            coordinators, JOBS, millis, JOBS * 1000.0 / millis);
                    report.line("%d coordinator(s) on PostgreSQL, cost per job (submission to result): %s",
                            coordinators, WorkCost.take(database, farms).perJob(before, JOBS));
                } finally {
                    farms.forEach(Farm::close);
                }
            }
        }
    }

    /** {@code -Dverifarm.bench.coordinators=1,2}: which farm sizes to run (1, 2 and 3). */
    private static List<Integer> coordinatorCounts() {
        return Arrays.stream(System.getProperty("verifarm.bench.coordinators", "1,2,3").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
    }

    /**
     * {@code -Dverifarm.bench.jfr=PREFIX}: each coordinator records with JFR into PREFIX-N-C.jfr, with the settings
     * {@code -Dverifarm.bench.jfr-settings} names (a .jfc file; {@code profile} by default);
     * {@code -Dverifarm.bench.coordinator-options="..."}: more options for the coordinators' JVMs.
     */
    private static String[] coordinatorOptions(int coordinators, int coordinator) {
        List<String> options = new ArrayList<>();
        String prefix = System.getProperty("verifarm.bench.jfr", "");
        if (!prefix.isBlank()) {
            options.add(CoordinatorOptions.flightRecording(prefix + "-" + coordinators + "-" + coordinator + ".jfr"));
        }
        options.addAll(CoordinatorOptions.fromProperty());
        return options.toArray(String[]::new);
    }
}
