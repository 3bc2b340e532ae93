package dev.verifarm.agent.farm;

import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.agent.health.SelfCheck;
import dev.verifarm.proto.v1.AgentServiceGrpc;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code verifarm-agent run}: serves the coordinator's leases until the process is stopped. */
public final class RunCommand {
    static final String VERSION = "0.1.0";

    private final RunOptions options;
    private final HostPathRoots hostPathRoots;
    private final HostFacts facts;
    private final Set<Architecture> claimed;
    private final Coordinators coordinators;

    private RunCommand(RunOptions options, HostPathRoots hostPathRoots, HostFacts facts, Set<Architecture> claimed,
                       Coordinators coordinators) {
        this.options = options;
        this.hostPathRoots = hostPathRoots;
        this.facts = facts;
        this.claimed = claimed;
        this.coordinators = coordinators;
    }

    /**
     * The agent {@code options} ask for, on this host, not yet started. What this host cannot do as they say (a
     * host-path root that is no directory, an architecture it cannot run, an unreadable CA or token file) is an
     * {@link IllegalArgumentException}, and a host whose facts cannot be read an {@link IllegalStateException}.
     */
    public static RunCommand prepare(RunOptions options) {
        HostPathRoots hostPathRoots = HostPathRoots.of(options.hostPathRoots());
        HostFacts facts = HostFacts.detect();
        return new RunCommand(options, hostPathRoots, facts, claimed(options, facts), Coordinators.open(options));
    }

    /** Serves; returns 2 when the agent cannot make its directories, else only when interrupted. */
    public int run(PrintStream err) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %5$s%6$s%n");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verifarm-connection");
            t.setDaemon(true);
            return t;
        });
        SandboxPolicy sandbox = probeSandbox(options.allowProbeNetwork());
        SelfCheck selfCheck;
        try {
            selfCheck = SelfCheck.inSandbox(sandbox, options.staticOnly());
        } catch (IOException e) {
            err.println("verifarm-agent run: cannot make a directory for the self-check programs: " + e);
            return 2;
        }
        HealthMonitor monitor = new HealthMonitor(selfCheck, claimed, options.selfCheckInterval(), Clock.systemUTC());
        err.printf("verifarm-agent: self-checking %s%n", claimed.stream().map(Architecture::goName).toList());
        monitor.checkNow(claimed, "at start").join().forEach((a, h) ->
                err.printf("verifarm-agent: %s %s%n", a.goName(), h.explanation()));
        OpenedArtifacts opened = new OpenedArtifacts(options.openedArtifactsBytes(), ArtifactSource.FRESH);
        ArtifactCache cache;
        try {
            cache = new ArtifactCache(options.cacheDir(), options.cacheMaxBytes(), options.cacheMinFreeBytes(),
                    () -> AgentServiceGrpc.newBlockingStub(coordinators.channel()), opened::forget, Clock.systemUTC());
        } catch (IOException e) {
            err.println("verifarm-agent run: cannot create the cache directory " + options.cacheDir() + ": " + e);
            return 2;
        }
        CoordinatorConnection connection = new CoordinatorConnection(coordinators,
                new Advertisement(options, facts, monitor, cache::health),
                request -> monitor.checkNow(request.getArchitecturesCount() == 0 ? claimed
                        : request.getArchitecturesList().stream().map(CheckWire::knownArchitecture)
                        .flatMap(Optional::stream).toList(),
                        "the coordinator asked: " + request.getReason()), scheduler);
        monitor.onChange(connection::reregister);
        monitor.start();
        CheckEngine engine = new CheckEngine(new NativeChecks(sandbox), opened);
        LeaseRunner runner = new LeaseRunner(engine, cache, hostPathRoots, monitor, options.staticOnly(),
                options.maxConcurrency(), connection);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drain(connection, runner, options.drainTimeout(), err);
            connection.close();
            runner.shutdown();
            monitor.close();
            selfCheck.close();
            try {
                coordinators.shutdown(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "verifarm-shutdown"));
        err.printf("verifarm-agent %s on %s (%s, kernel %s): serving %s (healthy of %s) for %s (%s), up to %d at"
                        + " once, %s%n", VERSION, facts.hostname(), facts.architecture().goName(), facts.kernel(),
                monitor.healthy().stream().map(Architecture::goName).toList(),
                claimed.stream().map(Architecture::goName).toList(),
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

    /**
     * The architectures to take work for while their self-checks pass: those asked for, which this host must be
     * able to run.
     */
    static Set<Architecture> claimed(RunOptions options, HostFacts facts) {
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

    /** The sandbox probes run in: leases' and self-checks' alike. */
    public static SandboxPolicy probeSandbox(boolean allowProbeNetwork) {
        SandboxPolicy defaults = SandboxPolicy.defaults();
        return new SandboxPolicy(defaults.timeLimit(), defaults.memoryLimit(), allowProbeNetwork);
    }
}
