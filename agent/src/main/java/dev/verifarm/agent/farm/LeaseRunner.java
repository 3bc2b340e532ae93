package dev.verifarm.agent.farm;

import dev.verifarm.agent.check.Cancellation;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.Report;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Progress;
import dev.verifarm.proto.v1.Result;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs leased checks, at most {@code maxConcurrency} at a time, and reports each one's progress and result.
 * An engine failure is reported as an infrastructure failure, never lost and never allowed to stop the agent.
 */
final class LeaseRunner {
    private static final System.Logger LOG = System.getLogger(LeaseRunner.class.getName());

    private final CheckEngine engine;
    private final ArtifactCache cache;
    private final Consumer<AgentMessage> outbox;
    private final ExecutorService workers;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(Future<?> work, Cancellation cancellation) {
    }

    LeaseRunner(CheckEngine engine, ArtifactCache cache, int maxConcurrency, Consumer<AgentMessage> outbox) {
        this.engine = engine;
        this.cache = cache;
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
        Path artifact;
        try {
            artifact = artifact(lease);
        } catch (IOException e) {
            return failure(InfrastructureFailure.Kind.ARTIFACT_UNAVAILABLE, e.getMessage());
        }
        CheckRequest request;
        try {
            request = CheckWire.request(lease);
        } catch (IllegalArgumentException e) {
            return failure(InfrastructureFailure.Kind.INTERNAL, "the lease is malformed: " + e.getMessage());
        }
        progress(lease, "checking " + request.expectations().size() + " expectation(s), mode "
                + request.mode() + (request.discover() ? ", with discovery" : "")
                + (request.hazards() ? ", with the hazard scan" : ""));
        try {
            Report report = engine.check(artifact, request, cancellation);
            return Result.newBuilder().setReport(CheckWire.report(report));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "the checks engine failed on lease " + lease.getLeaseId(), e);
            return failure(InfrastructureFailure.Kind.INTERNAL, "the checks engine failed: " + e);
        }
    }

    private Path artifact(Lease lease) throws IOException {
        return switch (lease.getArtifact().getSourceCase()) {
            case SHA256 -> {
                progress(lease, "fetching artifact " + lease.getArtifact().getSha256());
                yield cache.obtain(lease.getArtifact().getSha256());
            }
            case HOST_PATH -> {
                Path path = HostPaths.require(lease.getArtifact().getHostPath().getPath());
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new IOException("no readable file " + path + " on this host");
                }
                yield path;
            }
            case SOURCE_NOT_SET -> throw new IOException("the lease names no artifact");
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
