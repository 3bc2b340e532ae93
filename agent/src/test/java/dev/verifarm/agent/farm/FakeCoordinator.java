package dev.verifarm.agent.farm;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.DownloadArtifactRequest;
import dev.verifarm.proto.v1.Registered;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A coordinator's AgentService in this JVM (grpc-java's in-process transport): it records what each agent stream
 * sends, answers as the test tells it, serves the artifacts it was given, and can break a stream as a dying
 * coordinator would. Close it to shut its server and channels down.
 */
final class FakeCoordinator implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** One agent stream as the coordinator sees it. */
    static final class Stream {
        private final StreamObserver<CoordinatorMessage> toAgent;
        private final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();

        private Stream(StreamObserver<CoordinatorMessage> toAgent) {
            this.toAgent = toAgent;
        }

        /** The next message of the agent that {@code wanted} accepts, skipping others; fails after a while. */
        AgentMessage next(Predicate<AgentMessage> wanted) throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            for (long left = PATIENCE.toNanos(); left > 0; left = end - System.nanoTime()) {
                AgentMessage message = received.poll(left, TimeUnit.NANOSECONDS);
                if (message != null && wanted.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("the agent sent no such message within " + PATIENCE);
        }

        /** Every message received and not yet taken by {@link #next}. */
        List<AgentMessage> drained() {
            List<AgentMessage> rest = new ArrayList<>();
            received.drainTo(rest);
            return rest;
        }

        synchronized void send(CoordinatorMessage message) {
            toAgent.onNext(message);
        }

        void register(String agentId, int heartbeatMillis) {
            send(CoordinatorMessage.newBuilder().setRegistered(Registered.newBuilder().setAgentId(agentId)
                    .setHeartbeatIntervalMillis(heartbeatMillis)).build());
        }

        /** The agent closed its side: the coordinator closes its own. */
        private synchronized void complete() {
            toAgent.onCompleted();
        }

        /** Ends the stream with an error, as a coordinator that goes away does. */
        synchronized void breakOff() {
            toAgent.onError(Status.UNAVAILABLE.withDescription("the fake coordinator broke the stream")
                    .asRuntimeException());
        }
    }

    private final String name = "fake-coordinator-" + System.nanoTime();
    private final Server server;
    private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    FakeCoordinator() throws IOException {
        server = InProcessServerBuilder.forName(name).addService(new Service()).build().start();
    }

    /** A channel to this coordinator, as an agent's {@link Coordinators} holds one. */
    ManagedChannel channel() {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        channels.add(channel);
        return channel;
    }

    /** The artifact DownloadArtifact serves under {@code sha256} (which need not be the bytes' hash). */
    void serve(String sha256, byte[] bytes) {
        artifacts.put(sha256, bytes);
    }

    /** The next stream an agent opens. */
    Stream nextStream() throws InterruptedException {
        Stream stream = streams.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (stream == null) {
            throw new AssertionError("no agent connected within " + PATIENCE);
        }
        return stream;
    }

    @Override
    public void close() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<CoordinatorMessage> toAgent) {
            Stream stream = new Stream(toAgent);
            streams.add(stream);
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    stream.received.add(message);
                }

                @Override
                public void onError(Throwable error) {
                    // the agent went away: nothing to answer
                }

                @Override
                public void onCompleted() {
                    stream.complete();
                }
            };
        }

        @Override
        public void downloadArtifact(DownloadArtifactRequest request, StreamObserver<ArtifactChunk> chunks) {
            byte[] bytes = artifacts.get(request.getSha256());
            if (bytes == null) {
                chunks.onError(Status.NOT_FOUND.withDescription("no artifact " + request.getSha256())
                        .asRuntimeException());
                return;
            }
            // two chunks, so that the agent must put them together
            int half = bytes.length / 2;
            chunks.onNext(ArtifactChunk.newBuilder().setData(ByteString.copyFrom(bytes, 0, half)).build());
            chunks.onNext(ArtifactChunk.newBuilder().setData(ByteString.copyFrom(bytes, half, bytes.length - half))
                    .build());
            chunks.onCompleted();
        }
    }
}
