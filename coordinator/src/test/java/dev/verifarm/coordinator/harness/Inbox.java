package dev.verifarm.coordinator.harness;

import io.grpc.stub.StreamObserver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** The receiving side of a gRPC stream in a test: keeps every message for the test to take, and how it ended. */
public final class Inbox<T> implements StreamObserver<T> {
    public final BlockingQueue<T> received = new LinkedBlockingQueue<>();
    /** How the stream ended: normally (null), or with the error the other side sent. */
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    @Override
    public void onNext(T message) {
        received.add(message);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(t);
    }

    @Override
    public void onCompleted() {
        ended.complete(null);
    }
}
