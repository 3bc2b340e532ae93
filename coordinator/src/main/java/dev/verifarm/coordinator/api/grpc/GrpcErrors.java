package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.problem.ForbiddenException;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.problem.InsufficientStorageException;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.OverQuotaException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.problem.TooLargeException;
import dev.verifarm.coordinator.problem.TooManyException;
import dev.verifarm.coordinator.problem.UnauthenticatedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/** The gRPC status for a failed call: precise for bad input, INTERNAL (and logged) for anything else. */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    /** Answers a unary call with what {@code call} returns, or with the status of what it threw. */
    static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            response.onError(status(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    static StatusRuntimeException status(Throwable error) {
        if (error instanceof StatusRuntimeException already) {
            return already;
        }
        if (error instanceof InvalidInputException invalid) {
            Status status = invalid instanceof NotFoundException ? Status.NOT_FOUND
                    : invalid instanceof TooLargeException || invalid instanceof TooManyException
                    || invalid instanceof OverQuotaException || invalid instanceof InsufficientStorageException
                    ? Status.RESOURCE_EXHAUSTED
                    : invalid instanceof ForbiddenException ? Status.PERMISSION_DENIED
                    : invalid instanceof UnauthenticatedException ? Status.UNAUTHENTICATED
                    : invalid instanceof ConflictException ? Status.FAILED_PRECONDITION
                    : Status.INVALID_ARGUMENT;
            return status.withDescription(invalid.field() + ": " + invalid.getMessage()).asRuntimeException();
        }
        LOG.error("gRPC call failed", error);
        return Status.INTERNAL.withDescription(error.toString()).asRuntimeException();
    }
}
