package dev.verifarm.cli.connect;

import dev.verifarm.cli.exit.CliException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A failed gRPC call as a sentence for the user; all of them exit with status 2. */
public final class GrpcFailures {
    private GrpcFailures() {
    }

    public static CliException explain(StatusRuntimeException e, Settings settings) {
        Status status = e.getStatus();
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            detail += ": " + status.getCause().getMessage();
        }
        String message = switch (status.getCode()) {
            case UNAVAILABLE -> "cannot reach the coordinator at " + settings.target() + " (" + detail + "); check"
                    + " --coordinator, VERIFARM_COORDINATOR or the config file"
                    + (settings.tlsCa().isPresent() ? ", and that it serves TLS" : ", and whether it needs TLS");
            case UNAUTHENTICATED -> "the coordinator refused "
                    + (settings.token().isPresent() ? "the token" : "the call: it needs a token")
                    + " (" + detail + "); set VERIFARM_TOKEN or token= in the config file";
            case PERMISSION_DENIED -> "the token is not allowed to do this (" + detail + ")";
            case NOT_FOUND, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ALREADY_EXISTS -> detail;
            case DEADLINE_EXCEEDED -> "the coordinator at " + settings.target() + " did not answer in time";
            case UNIMPLEMENTED -> "the coordinator at " + settings.target() + " does not offer this (" + detail
                    + "); is it older than this command line?";
            default -> "the coordinator failed: " + status.getCode() + " " + detail;
        };
        return CliException.error(message);
    }
}
