package dev.verifarm.cli.connect;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.proto.v1.NightlyServiceGrpc;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One channel to the coordinator, carrying the token on every call, and its stubs. */
public final class FarmConnection implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** A unary call that takes longer than this has met a coordinator in trouble. */
    private static final long UNARY_DEADLINE_SECONDS = 60;

    private final Settings settings;
    private final ManagedChannel channel;

    public FarmConnection(Settings settings) {
        this.settings = settings;
        this.channel = Grpc.newChannelBuilderForAddress(settings.host(), settings.port(), credentials(settings))
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    private static ChannelCredentials credentials(Settings settings) {
        if (settings.tlsCa().isEmpty()) {
            return InsecureChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(settings.tlsCa().get().toFile()).build();
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.error("cannot use the TLS CA file " + settings.tlsCa().get() + ": " + e.getMessage());
        }
    }

    /** For unary calls: with the token and a deadline. */
    public SubmissionServiceGrpc.SubmissionServiceBlockingStub submission() {
        return authorized(SubmissionServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(UNARY_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public NightlyServiceGrpc.NightlyServiceBlockingStub nightly() {
        return authorized(NightlyServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(UNARY_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** For streams that last as long as a job or an upload: with the token, no deadline. */
    public SubmissionServiceGrpc.SubmissionServiceBlockingStub watching() {
        return authorized(SubmissionServiceGrpc.newBlockingStub(channel));
    }

    public SubmissionServiceGrpc.SubmissionServiceStub streaming() {
        return authorized(SubmissionServiceGrpc.newStub(channel));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** Adds {@code authorization: Bearer TOKEN} when a token is configured, and nothing otherwise. */
    public <S extends AbstractStub<S>> S authorized(S stub) {
        if (settings.token().isEmpty()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + settings.token().get());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Runs a call, turning a failed one into a message that says what went wrong and what to do. */
    public <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    public CliException failure(StatusRuntimeException e) {
        return GrpcFailures.explain(e, settings);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
