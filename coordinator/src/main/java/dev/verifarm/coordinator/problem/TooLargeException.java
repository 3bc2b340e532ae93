package dev.verifarm.coordinator.problem;

/** An upload larger than the coordinator accepts. */
public final class TooLargeException extends InvalidInputException {

    public TooLargeException(String field, String message) {
        super(field, message);
    }
}
