package dev.verifarm.coordinator.harness;

import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Register;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An agent's stream driven by a test over a real socket: it registers, then sends only what the test tells it to,
 * so a test can play an agent that misbehaves.
 */
public final class StreamAgent implements AutoCloseable {
    private final StreamObserver<AgentMessage> requests;
    private final Inbox<CoordinatorMessage> inbox = new Inbox<>();
    /** How the stream ended: normally, or with the error the coordinator sent. */
    public final CompletableFuture<Throwable> ended = inbox.ended;

    private StreamAgent(ManagedChannel channel) {
        requests = AgentServiceGrpc.newStub(channel).connect(inbox);
    }

    /** Connects over {@code channel} and registers as an amd64 agent called {@code name}. */
    public static StreamAgent register(ManagedChannel channel, String name) {
        return register(channel, name, Architecture.AMD64);
    }

    /** Connects over {@code channel} and registers as an agent of {@code architecture} reading no host paths. */
    public static StreamAgent register(ManagedChannel channel, String name, Architecture architecture) {
        StreamAgent agent = new StreamAgent(channel);
        agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setName(name).setHostname("test")
                .setArchitecture(architecture).setKernel("test").setCpu("test")
                .setCapabilities(Capabilities.newBuilder().setNativeExecution(true).addServes(architecture))
                .setMaxConcurrency(1).setAgentVersion("test")).build());
        return agent;
    }

    public synchronized void send(AgentMessage message) {
        requests.onNext(message);
    }

    public void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    }

    /** The next message of a kind from the coordinator, skipping others. */
    public CoordinatorMessage next(CoordinatorMessage.KindCase kind, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            CoordinatorMessage m = inbox.received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (m != null && m.getKindCase() == kind) {
                return m;
            }
        }
        throw new AssertionError("no " + kind + " within " + within);
    }

    /** Whether the coordinator has sent this agent any lease so far. */
    public boolean receivedALease() {
        return inbox.received.stream().anyMatch(CoordinatorMessage::hasLease);
    }

    public Lease nextLease(Duration within) throws InterruptedException {
        return next(CoordinatorMessage.KindCase.LEASE, within).getLease();
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            // the coordinator already ended the stream
        }
    }
}
