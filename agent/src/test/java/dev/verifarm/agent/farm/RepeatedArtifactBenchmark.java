package dev.verifarm.agent.farm;

import dev.verifarm.agent.bench.ChecksBenchmark;
import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.cli.RunArguments;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.agent.health.SelfCheck;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.proto.v1.Lease;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The agent's own cost of many leases on one artifact, through its real lease path ({@link LeaseRunner}: the wire
 * request, the engine, the wire report, at most {@code --max-concurrency} at once), each artifact opened afresh
 * for every lease (as before {@link OpenedArtifacts}) and kept opened between them. A nightly run sends an agent
 * one lease per suite entry; FarmBench's light agents answer leases without opening anything, so this is where
 * the agent's half shows.
 *
 * <pre>java -cp ... dev.verifarm.agent.farm.RepeatedArtifactBenchmark [--leases N] [--expectations K]
 *     [--concurrency C] [--rounds R] INPUT...</pre>
 * INPUT: FILE or debian:PACKAGE:ARCH:PATH, as for {@link ChecksBenchmark}.
 */
public final class RepeatedArtifactBenchmark {

    private RepeatedArtifactBenchmark() {
    }

    private record Run(double wallMillis, double cpuMillis) {
    }

    public static void main(String[] args) throws Exception {
        int leases = 50;
        int expectations = 1;
        int concurrency = Runtime.getRuntime().availableProcessors();
        int rounds = 5;
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--leases" -> leases = Integer.parseInt(args[++i]);
                case "--expectations" -> expectations = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> inputs.add(ChecksBenchmark.input(args[i]));
            }
        }
        System.out.printf(Locale.ROOT, "%d leases of %d expectation(s) on one artifact, %d at once; median of %d"
                + " rounds after one unmeasured round of each%n%n", leases, expectations, concurrency, rounds);
        System.out.println("| file | MB | opened per lease: wall ms, agent CPU ms | kept opened: wall ms, agent CPU ms"
                + " | per lease, before / after (ms) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Path file : inputs) {
            List<Expectation> all = ChecksBenchmark.expectations(ChecksBenchmark.discover(file));
            List<Expectation> request = new ArrayList<>();
            for (int i = 0; request.size() < expectations; i++) {
                request.add(i == 0 ? ChecksBenchmark.oneStub(all) : all.get(i % all.size()));
            }
            Lease lease = ChecksBenchmark.hostPathLease(file.toAbsolutePath(), request);
            CheckEngine fresh = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()), ArtifactSource.FRESH);
            CheckEngine kept = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()),
                    new OpenedArtifacts(RunArguments.parse("--coordinator", "any:1").openedArtifactsBytes(),
                            ArtifactSource.FRESH));
            run(fresh, lease, leases, concurrency);
            run(kept, lease, leases, concurrency);
            List<Run> before = new ArrayList<>();
            List<Run> after = new ArrayList<>();
            // alternate, so that load from elsewhere on the machine falls on both alike
            for (int r = 0; r < rounds; r++) {
                before.add(run(fresh, lease, leases, concurrency));
                after.add(run(kept, lease, leases, concurrency));
            }
            double wallBefore = ChecksBenchmark.median(before.stream().mapToDouble(Run::wallMillis).toArray());
            double wallAfter = ChecksBenchmark.median(after.stream().mapToDouble(Run::wallMillis).toArray());
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f, %.0f | %.0f, %.0f | %.2f / %.2f |%n",
                    file.getFileName(), Files.size(file) / 1e6,
                    wallBefore, ChecksBenchmark.median(before.stream().mapToDouble(Run::cpuMillis).toArray()),
                    wallAfter, ChecksBenchmark.median(after.stream().mapToDouble(Run::cpuMillis).toArray()),
                    wallBefore / leases, wallAfter / leases);
        }
    }

    /** Sends {@code leases} leases to a runner and waits for every result; the process's CPU time is the agent's. */
    private static Run run(CheckEngine engine, Lease lease, int leases, int concurrency)
            throws IOException, InterruptedException {
        CountDownLatch results = new CountDownLatch(leases);
        List<String> failures = new ArrayList<>();
        // never started: every architecture stays UNKNOWN, which takes work; the bench's runs do not fail
        HealthMonitor health = new HealthMonitor(SelfCheck.inSandbox(SandboxPolicy.defaults(), false),
                Set.of(Architecture.host().orElseThrow()), Duration.ofHours(1), Clock.systemUTC());
        LeaseRunner runner = new LeaseRunner(engine, new ArtifactCache(Files.createTempDirectory("bench-cache"),
                Long.MAX_VALUE, 0, () -> {
                    throw new IllegalStateException("host-path leases download nothing");
                }, path -> { }, Clock.systemUTC()),
                HostPathRoots.of(List.of(Path.of(lease.getArtifact().getHostPath().getPath()).getParent())),
                health, false, concurrency, message -> {
                    if (message.hasResult()) {
                        if (!message.getResult().hasReport() || message.getResult().getReport().hasError()) {
                            synchronized (failures) {
                                failures.add(message.getResult().toString());
                            }
                        }
                        results.countDown();
                    }
                });
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < leases; i++) {
            runner.accept(lease.toBuilder().setLeaseId("bench-" + i).build());
        }
        results.await();
        Run run = new Run((System.nanoTime() - start) / 1e6, (os.getProcessCpuTime() - cpu) / 1e6);
        runner.shutdown();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " leases failed, the first: " + failures.get(0));
        }
        return run;
    }
}
