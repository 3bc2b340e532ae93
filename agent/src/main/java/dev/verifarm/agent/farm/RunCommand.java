package dev.verifarm.agent.farm;

import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.Register;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code verifarm-agent run}: serves the coordinator's leases until the process is stopped. */
public final class RunCommand {
    static final String VERSION = "0.1.0";

    private RunCommand() {
    }

    /** Runs the agent; returns only on a usage error (2) or when interrupted. */
    public static int run(List<String> args, PrintStream err) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %5$s%6$s%n");
        }
        RunOptions options;
        HostFacts facts;
        Set<Architecture> serves;
        Coordinators coordinators;
        HostPathRoots hostPathRoots;
        try {
            options = RunOptions.parse(args);
            hostPathRoots = HostPathRoots.of(options.hostPathRoots());
            facts = HostFacts.detect();
            serves = serves(options, facts);
            coordinators = Coordinators.open(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("verifarm-agent run: " + e.getMessage());
            err.println(RunOptions.USAGE);
            return 2;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verifarm-connection");
            t.setDaemon(true);
            return t;
        });
        CoordinatorConnection connection = new CoordinatorConnection(coordinators, register(options, facts, serves),
                scheduler);
        LeaseRunner runner;
        try {
            ArtifactCache cache = new ArtifactCache(options.cacheDir(),
                    () -> AgentServiceGrpc.newBlockingStub(coordinators.channel()));
            SandboxPolicy sandbox = SandboxPolicy.defaults();
            CheckEngine engine = new CheckEngine(new NativeChecks(new SandboxPolicy(sandbox.timeLimit(),
                    sandbox.memoryLimit(), options.allowProbeNetwork())),
                    new OpenedArtifacts(options.openedArtifactsBytes(), ArtifactSource.FRESH));
            runner = new LeaseRunner(engine, cache, hostPathRoots, options.maxConcurrency(), connection);
        } catch (IOException e) {
            err.println("verifarm-agent run: cannot create the cache directory " + options.cacheDir() + ": " + e);
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drain(connection, runner, options.drainTimeout(), err);
            connection.close();
            runner.shutdown();
            try {
                coordinators.shutdown(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "verifarm-shutdown"));
        err.printf("verifarm-agent %s on %s (%s, kernel %s): serving %s for %s (%s), up to %d at once, %s%n",
                VERSION, facts.hostname(), facts.architecture().goName(), facts.kernel(),
                serves.stream().map(Architecture::goName).toList(),
                options.coordinators().stream().map(CoordinatorAddress::toString).collect(Collectors.joining(", ")),
                options.insecurePlaintext() ? "PLAINTEXT" : "TLS",
                options.maxConcurrency(), hostPathRoots.roots().isEmpty() ? "reading no host paths"
                        : "reading host paths under " + hostPathRoots.roots());
        connection.start(runner);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** On SIGTERM: take nothing new, let what runs finish and report, within the drain timeout. */
    private static void drain(CoordinatorConnection connection, LeaseRunner runner, Duration timeout,
                              PrintStream err) {
        err.println("verifarm-agent: stopping; draining for up to " + timeout.toSeconds() + " s");
        connection.drain("the agent is stopping");
        try {
            if (!runner.awaitIdle(timeout)) {
                err.println("verifarm-agent: leases still running after the drain timeout are given up; the"
                        + " coordinator requeues them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The architectures to take work for: those asked for, which this host must be able to run. */
    static Set<Architecture> serves(RunOptions options, HostFacts facts) {
        if (options.architectures().isEmpty()) {
            return facts.runnable();
        }
        Set<Architecture> unrunnable = EnumSet.copyOf(options.architectures());
        unrunnable.removeAll(facts.runnable());
        if (!unrunnable.isEmpty()) {
            throw new IllegalArgumentException("--architectures: this " + facts.architecture().goName()
                    + " host cannot run " + unrunnable.stream().map(Architecture::goName).toList()
                    + " (install qemu-user-static to emulate them)");
        }
        return options.architectures();
    }

    static Register register(RunOptions options, HostFacts facts, Set<Architecture> serves) {
        Capabilities.Builder capabilities = Capabilities.newBuilder().setNativeExecution(true)
                .setHostPaths(!options.hostPathRoots().isEmpty());
        facts.emulated().forEach(a -> capabilities.addEmulated(CheckWire.architecture(a)));
        serves.forEach(a -> capabilities.addServes(CheckWire.architecture(a)));
        return Register.newBuilder()
                .setName(options.name().orElse(facts.hostname()))
                .setHostname(facts.hostname())
                .setArchitecture(CheckWire.architecture(facts.architecture()))
                .setKernel(facts.kernel())
                .setCpu(facts.cpu())
                .setCapabilities(capabilities)
                .setMaxConcurrency(options.maxConcurrency())
                .setAgentVersion(VERSION)
                .build();
    }
}
