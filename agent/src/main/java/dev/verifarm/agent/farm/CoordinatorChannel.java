package dev.verifarm.agent.farm;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** The agent's channel to a coordinator: TLS unless told otherwise, with its enrolment token on every call. */
final class CoordinatorChannel {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private CoordinatorChannel() {
    }

    /**
     * Opens the channel to one of the coordinators; an unreadable CA or token file is an
     * {@link IllegalArgumentException} saying which.
     */
    static ManagedChannel open(RunOptions options, CoordinatorAddress coordinator) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(coordinator.host(), coordinator.port(),
                        credentials(options))
                .keepAliveTime(30, TimeUnit.SECONDS);
        options.tokenFile().ifPresent(file -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token(file));
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        });
        return builder.build();
    }

    private static ChannelCredentials credentials(RunOptions options) {
        if (options.insecurePlaintext()) {
            return InsecureChannelCredentials.create();
        }
        if (options.tlsCa().isEmpty()) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(options.tlsCa().get().toFile()).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-ca " + options.tlsCa().get() + ": not a readable PEM"
                    + " certificate: " + e.getMessage(), e);
        }
    }

    private static String token(java.nio.file.Path file) {
        String token;
        try {
            token = Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e, e);
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("--token-file " + file + " must hold one token on one line");
        }
        return token;
    }
}
