package dev.verifarm.coordinator.problem;

/** The coordinator's own disk is too full to take an upload: not the caller's fault, and not for long, one hopes. */
public final class InsufficientStorageException extends InvalidInputException {

    public InsufficientStorageException(String field, String message) {
        super(field, message);
    }
}
