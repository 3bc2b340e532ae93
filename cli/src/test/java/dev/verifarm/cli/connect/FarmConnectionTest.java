package dev.verifarm.cli.connect;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListAgentsResponse;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token on the wire: a real gRPC server on a loopback socket records the authorization header each call
 * carries, and refuses a wrong token as a coordinator with token auth does.
 */
class FarmConnectionTest {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicReference<Optional<String>> seen = new AtomicReference<>();
    private Server server;

    @BeforeEach
    void startServer() throws IOException {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                seen.set(Optional.ofNullable(headers.get(AUTHORIZATION)));
                if ("Bearer wrong".equals(headers.get(AUTHORIZATION))) {
                    call.close(Status.UNAUTHENTICATED.withDescription("unknown token"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
        server = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(
                new SubmissionServiceGrpc.SubmissionServiceImplBase() {
                    @Override
                    public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
                        response.onNext(ListAgentsResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }, recorder)).build().start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void aConfiguredTokenTravelsAsABearerAuthorizationHeader() {
        listAgents(Optional.of("s3cret"));
        assertEquals(Optional.of("Bearer s3cret"), seen.get());
    }

    @Test
    void withoutATokenNoAuthorizationHeaderIsSent() {
        listAgents(Optional.empty());
        assertEquals(Optional.empty(), seen.get());
    }

    @Test
    void aRefusedTokenSaysSoAndWhereTokensComeFrom() {
        CliException e = assertThrows(CliException.class, () -> listAgents(Optional.of("wrong")));
        assertTrue(e.getMessage().startsWith("the coordinator refused the token (unknown token); set VERIFARM_TOKEN"),
                e.getMessage());
        assertEquals(2, e.exitStatus());
    }

    private void listAgents(Optional<String> token) {
        Settings settings = new Settings("127.0.0.1", server.getPort(), token, Optional.empty());
        try (FarmConnection connection = new FarmConnection(settings)) {
            connection.call(() -> connection.submission().listAgents(ListAgentsRequest.getDefaultInstance()));
        }
    }
}
