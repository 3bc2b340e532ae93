package dev.verifarm.agent.farm;

import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Registered;
import dev.verifarm.proto.v1.Result;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A coordinator stand-in on a loopback port, plaintext, for agent processes (FakeCoordinator is in-process only): it answers each Register (keeping the id the
 * agent asks for, as the real one does), records what agents send, and lets a test send on the newest stream.
 */
final class LoopbackCoordinator implements AutoCloseable {
    private final BlockingQueue<Register> registrations = new LinkedBlockingQueue<>();
    private final BlockingQueue<Heartbeat> heartbeats = new LinkedBlockingQueue<>();
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final Server server;
    private volatile StreamObserver<CoordinatorMessage> newest;

    LoopbackCoordinator() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new AgentServiceGrpc.AgentServiceImplBase() {
                    @Override
                    public StreamObserver<AgentMessage> connect(StreamObserver<CoordinatorMessage> responses) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(AgentMessage message) {
                                if (message.hasRegister()) {
                                    Register r = message.getRegister();
                                    String id = r.getAgentId().isEmpty() ? UUID.randomUUID().toString()
                                            : r.getAgentId();
                                    synchronized (responses) {
                                        responses.onNext(CoordinatorMessage.newBuilder().setRegistered(
                                                Registered.newBuilder().setAgentId(id)
                                                        .setHeartbeatIntervalMillis(200)).build());
                                    }
                                    newest = responses;
                                    registrations.add(r.toBuilder().setAgentId(id).build());
                                } else if (message.hasHeartbeat()) {
                                    heartbeats.add(message.getHeartbeat());
                                } else if (message.hasResult()) {
                                    results.add(message.getResult());
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                synchronized (responses) {
                                    responses.onCompleted();
                                }
                            }
                        };
                    }
                }).build().start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Sends on the stream the agent registered last. */
    void send(CoordinatorMessage message) {
        StreamObserver<CoordinatorMessage> stream = newest;
        synchronized (stream) {
            stream.onNext(message);
        }
    }

    /** The next registration that satisfies {@code condition}, skipping others; fails after {@code limit}. */
    Register awaitRegistration(Predicate<Register> condition, Duration limit) throws InterruptedException {
        return await(registrations, condition, limit, "registration");
    }

    Heartbeat awaitHeartbeat(Predicate<Heartbeat> condition, Duration limit) throws InterruptedException {
        return await(heartbeats, condition, limit, "heartbeat");
    }

    Result awaitResult(Duration limit) throws InterruptedException {
        return await(results, r -> true, limit, "result");
    }

    private static <T> T await(BlockingQueue<T> queue, Predicate<T> condition, Duration limit, String what)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); left > 0; left = end - System.nanoTime()) {
            T next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next != null && condition.test(next)) {
                return next;
            }
        }
        throw new AssertionError("no matching " + what + " within " + limit);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
