package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.AgentChannel;
import dev.verifarm.coordinator.job.Lease;
import dev.verifarm.proto.v1.Cancel;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.SelfCheck;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/** An agent's stream as the scheduler sees it. Sends are serialised: a gRPC stream takes one writer at a time. */
final class StreamAgentChannel implements AgentChannel {
    private final StreamObserver<CoordinatorMessage> stream;
    private boolean closed;

    StreamAgentChannel(StreamObserver<CoordinatorMessage> stream) {
        this.stream = stream;
    }

    @Override
    public void lease(Lease lease) {
        send(CoordinatorMessage.newBuilder().setLease(WireMapping.lease(lease)).build());
    }

    @Override
    public void cancel(String leaseId, String reason) {
        send(CoordinatorMessage.newBuilder().setCancel(Cancel.newBuilder().setLeaseId(leaseId).setReason(reason))
                .build());
    }

    @Override
    public void selfCheck(Architecture architecture, String reason) {
        send(CoordinatorMessage.newBuilder().setSelfCheck(SelfCheck.newBuilder()
                .addArchitectures(WireMapping.architecture(architecture)).setReason(reason)).build());
    }

    @Override
    public void close(String reason) {
        fail(io.grpc.Status.UNAVAILABLE.withDescription(reason).asRuntimeException());
    }

    synchronized void send(CoordinatorMessage message) {
        if (closed) {
            return;  // the agent is gone; the scheduler takes its leases back when it hears so
        }
        try {
            stream.onNext(message);
        } catch (StatusRuntimeException | IllegalStateException e) {
            closed = true;
        }
    }

    synchronized void fail(StatusRuntimeException status) {
        if (!closed) {
            closed = true;
            stream.onError(status);
        }
    }

    synchronized void complete() {
        if (!closed) {
            closed = true;
            stream.onCompleted();
        }
    }
}
