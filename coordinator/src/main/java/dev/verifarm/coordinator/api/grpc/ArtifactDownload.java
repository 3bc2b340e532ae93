package dev.verifarm.coordinator.api.grpc;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.ArtifactChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams one stored artifact in chunks, only as fast as the agent reads them. */
final class ArtifactDownload {
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final ServerCallStreamObserver<ArtifactChunk> call;
    private InputStream in;
    private boolean done;

    ArtifactDownload(Path file, ServerCallStreamObserver<ArtifactChunk> call) {
        this.file = file;
        this.call = call;
    }

    void start() {
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            call.onError(Status.INTERNAL.withDescription("cannot read the stored artifact: " + e).asRuntimeException());
            return;
        }
        call.setOnCancelHandler(this::close);
        call.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        try {
            while (!done && call.isReady()) {
                byte[] buffer = in.readNBytes(CHUNK);
                if (buffer.length == 0) {
                    close();
                    call.onCompleted();
                    return;
                }
                call.onNext(ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer)).build());
            }
        } catch (IOException e) {
            close();
            call.onError(Status.INTERNAL.withDescription("cannot read the stored artifact: " + e).asRuntimeException());
        }
    }

    private synchronized void close() {
        if (!done) {
            done = true;
            try {
                in.close();
            } catch (IOException e) {
                // nothing left to read from it
            }
        }
    }
}
