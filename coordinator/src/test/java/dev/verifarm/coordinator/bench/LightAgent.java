package dev.verifarm.coordinator.bench;

import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Progress;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.Verdict;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An agent inside the test process, on its own connection with its own token: it registers as an amd64 agent,
 * heartbeats at the interval the coordinator gives, as the real agent does, and answers each lease at once with
 * "started" and a MATCH for every expectation, so that figures measure the farm, not the checks.
 */
final class LightAgent implements AutoCloseable {
    private static final int MAX_CONCURRENCY = 4;

    private final ManagedChannel channel;
    private final ScheduledExecutorService clock;
    private final LongAdder results;
    /** Completes once the coordinator has answered Registered, or fails with the stream's error. */
    final CompletableFuture<Void> registered = new CompletableFuture<>();
    /** Completes when the coordinator ends the stream, with its error if any. */
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private StreamObserver<AgentMessage> requests;
    private ScheduledFuture<?> heartbeats;
    private boolean closed;

    private LightAgent(ManagedChannel channel, ScheduledExecutorService clock, LongAdder results) {
        this.channel = channel;
        this.clock = clock;
        this.results = results;
    }

    /**
     * Opens the agent's stream on {@code channel}, which carries its token and is the agent's own (closing the
     * agent closes it), and registers as {@code name}; its heartbeats run on {@code clock} and each check result it
     * sends is counted in {@code results}.
     */
    static LightAgent connect(String name, ManagedChannel channel, ScheduledExecutorService clock,
                              LongAdder results) {
        LightAgent agent = new LightAgent(channel, clock, results);
        synchronized (agent) {
            agent.requests = AgentServiceGrpc.newStub(channel).connect(agent.new Responses());
            agent.requests.onNext(AgentMessage.newBuilder().setRegister(Register.newBuilder().setName(name)
                    .setHostname("bench-" + name).setArchitecture(Architecture.AMD64).setKernel("bench")
                    .setCpu("bench").setCapabilities(Capabilities.newBuilder().setNativeExecution(true)
                            .addServes(Architecture.AMD64))
                    .setMaxConcurrency(MAX_CONCURRENCY).setAgentVersion("bench")).build());
        }
        return agent;
    }

    private synchronized void registered(int heartbeatMillis) {
        long period = Math.max(heartbeatMillis, 100);
        // nothing runs between two messages: each lease is answered before the next heartbeat can be sent
        AgentMessage heartbeat = AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
        heartbeats = clock.scheduleAtFixedRate(() -> send(heartbeat), period, period, TimeUnit.MILLISECONDS);
        registered.complete(null);
    }

    private void answer(Lease lease) {
        CheckReport.Builder report = CheckReport.newBuilder().setMode(ExecutionMode.STATIC);
        for (Expectation expectation : lease.getExpectationsList()) {
            report.addResults(CheckResult.newBuilder().setExpectation(expectation).setVerdict(Verdict.MATCH)
                    .setReason("light agent: no check run"));
        }
        synchronized (this) {
            send(AgentMessage.newBuilder().setProgress(Progress.newBuilder().setLeaseId(lease.getLeaseId())
                    .setMessage("started")).build());
            send(AgentMessage.newBuilder().setResult(Result.newBuilder().setLeaseId(lease.getLeaseId())
                    .setAttempt(lease.getAttempt()).setReport(report)).build());
        }
        results.add(lease.getExpectationsCount());
    }

    private synchronized void send(AgentMessage message) {
        if (!closed) {
            requests.onNext(message);
        }
    }

    private synchronized void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
    }

    @Override
    public synchronized void close() {
        stopHeartbeats();
        if (!closed) {
            closed = true;
            if (!ended.isDone()) {
                requests.onCompleted();
            }
        }
        channel.shutdown();
    }

    private final class Responses implements StreamObserver<CoordinatorMessage> {
        @Override
        public void onNext(CoordinatorMessage message) {
            switch (message.getKindCase()) {
                case REGISTERED -> registered(message.getRegistered().getHeartbeatIntervalMillis());
                case LEASE -> answer(message.getLease());
                default -> {
                    // a cancel: nothing of this agent's is ever still running
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            stopHeartbeats();
            registered.completeExceptionally(t);
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            stopHeartbeats();
            registered.completeExceptionally(new IllegalStateException("the coordinator ended the stream"));
            ended.complete(null);
        }
    }
}
