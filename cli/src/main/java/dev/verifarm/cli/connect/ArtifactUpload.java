package dev.verifarm.cli.connect;

import com.google.protobuf.ByteString;
import dev.verifarm.cli.exit.CliException;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends a file with {@code UploadArtifact}: a header with its size and sha256 (the coordinator checks both), then
 * chunks, each sent only when the transport is ready for it, so a large file never piles up in memory.
 */
public final class ArtifactUpload {
    private static final int CHUNK = 1024 * 1024;

    private ArtifactUpload() {
    }

    public static ArtifactRef send(FarmConnection connection, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliException.error("cannot read " + file + ": not a readable file");
        }
        String sha256 = sha256(file);
        long size = size(file);
        CompletableFuture<ArtifactRef> result = new CompletableFuture<>();
        Object ready = new Object();
        ClientResponseObserver<UploadArtifactRequest, ArtifactRef> responses = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadArtifactRequest> requests) {
                requests.setOnReadyHandler(() -> {
                    synchronized (ready) {
                        ready.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(ArtifactRef ref) {
                result.complete(ref);
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(error);
                synchronized (ready) {
                    ready.notifyAll();
                }
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("the upload ended without an answer"));
            }
        };
        ClientCallStreamObserver<UploadArtifactRequest> requests =
                (ClientCallStreamObserver<UploadArtifactRequest>) connection.streaming().uploadArtifact(responses);
        requests.onNext(UploadArtifactRequest.newBuilder().setHeader(UploadHeader.newBuilder()
                .setName(file.getFileName().toString()).setSize(size).setSha256(sha256)).build());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while (!result.isDone() && (n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                awaitReady(requests, result, ready);
                requests.onNext(UploadArtifactRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
            }
        } catch (IOException e) {
            requests.onError(e);
            throw CliException.error("cannot read " + file + ": " + e.getMessage());
        }
        if (!result.isDone()) {
            requests.onCompleted();
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("interrupted while uploading " + file);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw connection.failure(status);
            }
            throw CliException.error("the upload of " + file + " failed: " + e.getCause().getMessage());
        }
    }

    private static void awaitReady(ClientCallStreamObserver<?> requests, CompletableFuture<?> result, Object ready) {
        synchronized (ready) {
            while (!requests.isReady() && !result.isDone()) {
                try {
                    ready.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CliException.error("interrupted while uploading");
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw CliException.error("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw CliException.error("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
