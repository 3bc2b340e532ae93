package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.Inbox;
import dev.verifarm.coordinator.harness.TestCertificates;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListAgentsResponse;
import dev.verifarm.proto.v1.Registered;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the farm's figures: what gRPC itself costs on this machine, with no coordinator behind it. A tiny
 * server in the test process answers the farm's own service methods at once — a unary call, and a message on a
 * bidirectional stream — over TLS with the test certificates, checking a bearer token as the coordinator does.
 */
final class RawGrpcFloor {
    private static final int WARM_UP = 500;
    private static final int CALLS = 2000;
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private RawGrpcFloor() {
    }

    static void measure(TestCertificates certificates, BenchReport report) throws Exception {
        String token = UUID.randomUUID().toString();
        ServerInterceptor requireToken = new RequireToken(token);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(certificates.crt().toFile(), certificates.key().toFile()))
                .addService(ServerInterceptors.intercept(new EmptyListing(), requireToken))
                .addService(ServerInterceptors.intercept(new EchoStream(), requireToken))
                .build().start();
        ManagedChannel channel = Farm.tlsChannel(server.getPort(), certificates, token).build();
        try {
            SubmissionServiceGrpc.SubmissionServiceBlockingStub unary = SubmissionServiceGrpc.newBlockingStub(channel);
            report.line("floor: raw gRPC unary round trip, TLS + token, loopback, in-test server: %s",
                    Latencies.time(WARM_UP, CALLS, () -> unary.listAgents(ListAgentsRequest.getDefaultInstance())));

            Inbox<CoordinatorMessage> replies = new Inbox<>();
            StreamObserver<AgentMessage> stream = AgentServiceGrpc.newStub(channel).connect(replies);
            AgentMessage heartbeat = AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
            report.line("floor: raw gRPC bidirectional stream, one message there and one back, TLS + token: %s",
                    Latencies.time(WARM_UP, CALLS, () -> {
                        stream.onNext(heartbeat);
                        if (replies.received.poll(10, TimeUnit.SECONDS) == null) {
                            throw new AssertionError("the in-test server did not answer within 10 s");
                        }
                    }));
            stream.onCompleted();
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Refuses calls without the bearer token, as the coordinator's authentication does. */
    private record RequireToken(String token) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            if (!("Bearer " + token).equals(headers.get(AUTHORIZATION))) {
                call.close(Status.UNAUTHENTICATED.withDescription("no valid token"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private static final class EmptyListing extends SubmissionServiceGrpc.SubmissionServiceImplBase {
        @Override
        public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
            response.onNext(ListAgentsResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    /** Answers each agent message with one coordinator message. */
    private static final class EchoStream extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<CoordinatorMessage> responses) {
            CoordinatorMessage reply = CoordinatorMessage.newBuilder().setRegistered(Registered.getDefaultInstance())
                    .build();
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    responses.onNext(reply);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }
}
