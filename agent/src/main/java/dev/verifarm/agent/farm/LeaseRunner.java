package dev.verifarm.agent.farm;

import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.agent.check.Cancellation;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.Health;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Progress;
import dev.verifarm.proto.v1.Result;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs leased checks, at most {@code maxConcurrency} at a time, and reports each one's progress and result.
 * An engine failure is reported as an infrastructure failure, never lost and never allowed to stop the agent. So is
 * a lease for an architecture this agent's self-check fails (it may arrive before the coordinator has heard), and a
 * native run that failed on a host whose self-check then fails too: a broken host's failure goes back to be run on
 * a healthy one, never to the user as the program's outcome.
 */
final class LeaseRunner {
    private static final System.Logger LOG = System.getLogger(LeaseRunner.class.getName());

    private final CheckEngine engine;
    private final ArtifactCache cache;
    private final HostPathRoots hostPathRoots;
    private final HealthMonitor health;
    private final boolean staticOnly;
    private final Consumer<AgentMessage> outbox;
    private final ExecutorService workers;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(Future<?> work, Cancellation cancellation) {
    }

    /** {@code staticOnly}: this agent runs no probes, and sends native leases back. */
    LeaseRunner(CheckEngine engine, ArtifactCache cache, HostPathRoots hostPathRoots, HealthMonitor health,
                boolean staticOnly, int maxConcurrency, Consumer<AgentMessage> outbox) {
        this.engine = engine;
        this.cache = cache;
        this.hostPathRoots = hostPathRoots;
        this.health = health;
        this.staticOnly = staticOnly;
        this.outbox = outbox;
        this.workers = Executors.newFixedThreadPool(maxConcurrency, r -> {
            Thread t = new Thread(r, "verifarm-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a lease; the same lease sent twice runs once. */
    synchronized void accept(Lease lease) {
        String id = lease.getLeaseId();
        if (!running.containsKey(id)) {
            Cancellation cancellation = new Cancellation();
            running.put(id, new Running(workers.submit(() -> {
                Result.Builder result = run(lease, cancellation);
                // A lease cancelled while it ran has no one waiting for its result.
                if (finished(id)) {
                    outbox.accept(result(lease, result));
                }
            }), cancellation));
        }
    }

    /**
     * Takes back a lease the coordinator cancelled: it will not start, its probe is killed if it runs one, and
     * its result will not be sent.
     */
    synchronized void cancel(String leaseId, String reason) {
        Running lease = running.remove(leaseId);
        if (lease != null) {
            // No interrupt: the engine maps the artifact through a channel that an interrupt would close.
            lease.work().cancel(false);
            lease.cancellation().cancel();
            LOG.log(Level.INFO, "lease {0} cancelled by the coordinator: {1}", leaseId, reason);
            notifyAll();
        }
    }

    /** Waits until no lease runs any more, or {@code limit} passed; true if none runs. */
    synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); !running.isEmpty() && left > 0; left = end - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return running.isEmpty();
    }

    private synchronized boolean finished(String leaseId) {
        boolean ours = running.remove(leaseId) != null;
        notifyAll();
        return ours;
    }

    List<String> runningLeaseIds() {
        return List.copyOf(running.keySet());
    }

    void shutdown() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Result.Builder run(Lease lease, Cancellation cancellation) {
        progress(lease, "started");
        CheckRequest request;
        try {
            request = CheckWire.request(lease);
        } catch (IllegalArgumentException e) {
            return failure(InfrastructureFailure.Kind.INTERNAL, "the lease is malformed: " + e.getMessage());
        }
        Optional<Architecture> architecture = CheckWire.knownArchitecture(lease.getArchitecture());
        Optional<Health> unhealthy = architecture.map(a -> health.health().getOrDefault(a, Health.UNKNOWN))
                .filter(Health::unhealthy);
        if (unhealthy.isPresent()) {
            return unhealthy(architecture.orElseThrow(), unhealthy.get(), "");
        }
        if (staticOnly && request.mode() == ExecutionMode.NATIVE) {
            return failure(InfrastructureFailure.Kind.TOOL_MISSING, "this agent runs no probes (--static-only):"
                    + " the native job goes back to another host");
        }
        ArtifactCache.Held held;
        try {
            held = artifact(lease);
        } catch (HostPathRoots.HostPathRefusedException e) {
            // a verdict on the job as submitted, like an unreadable ELF: another attempt would answer the same
            return Result.newBuilder().setReport(CheckWire.report(CheckEngine.failed(request, e.getMessage())));
        } catch (IOException e) {
            return failure(InfrastructureFailure.Kind.ARTIFACT_UNAVAILABLE, e.getMessage());
        }
        progress(lease, "checking " + request.expectations().size() + " expectation(s), mode "
                + request.mode() + (request.discover() ? ", with discovery" : "")
                + (request.hazards() ? ", with the hazard scan" : ""));
        Instant started = Instant.now();
        try (held) {
            Report report = engine.check(held.path(), request, cancellation);
            if (architecture.isPresent() && nativeRunFailed(report) && !cancellation.cancelled()) {
                Health confirmed = health.confirm(architecture.get(), started);
                if (confirmed.unhealthy()) {
                    return unhealthy(architecture.get(), confirmed, "the native run failed ("
                            + report.results().get(0).reason() + ") and then ");
                }
            }
            return Result.newBuilder().setReport(CheckWire.report(report));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "the checks engine failed on lease " + lease.getLeaseId(), e);
            return failure(InfrastructureFailure.Kind.INTERNAL, "the checks engine failed: " + e);
        }
    }

    /** A native run that judged nothing: the probe could not start, or the program did not speak the protocol. */
    private static boolean nativeRunFailed(Report report) {
        return report.mode() == ExecutionMode.NATIVE && !report.results().isEmpty()
                && report.results().stream().allMatch(r -> r.verdict() == Verdict.ERROR);
    }

    private static Result.Builder unhealthy(Architecture architecture, Health health, String what) {
        return failure(InfrastructureFailure.Kind.TOOL_MISSING, what + "this agent failed its "
                + architecture.goName() + " self-check (" + health.explanation() + "); it takes no "
                + architecture.goName() + " work until a self-check passes, and the job goes back to another host");
    }

    private ArtifactCache.Held artifact(Lease lease) throws IOException, HostPathRoots.HostPathRefusedException {
        return switch (lease.getArtifact().getSourceCase()) {
            // only news when it is: a cached artifact costs the coordinator no message
            case SHA256 -> cache.obtain(lease.getArtifact().getSha256(),
                    () -> progress(lease, "fetching artifact " + lease.getArtifact().getSha256()));
            case HOST_PATH -> unheld(hostPathRoots.require(lease.getArtifact().getHostPath().getPath()));
            case SOURCE_NOT_SET -> throw new IOException("the lease names no artifact");
        };
    }

    /** A host path: the cache does not keep it, so there is nothing to hold. */
    private static ArtifactCache.Held unheld(Path path) {
        return new ArtifactCache.Held() {
            @Override
            public Path path() {
                return path;
            }

            @Override
            public void close() {
            }
        };
    }

    private void progress(Lease lease, String message) {
        outbox.accept(AgentMessage.newBuilder()
                .setProgress(Progress.newBuilder().setLeaseId(lease.getLeaseId()).setMessage(message))
                .build());
    }

    private static Result.Builder failure(InfrastructureFailure.Kind kind, String message) {
        return Result.newBuilder().setFailure(InfrastructureFailure.newBuilder().setKind(kind).setMessage(message));
    }

    private static AgentMessage result(Lease lease, Result.Builder result) {
        return AgentMessage.newBuilder()
                .setResult(result.setLeaseId(lease.getLeaseId()).setAttempt(lease.getAttempt()))
                .build();
    }
}
