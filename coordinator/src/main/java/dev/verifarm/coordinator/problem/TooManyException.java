package dev.verifarm.coordinator.problem;

/** A request over a rate or count limit, such as a submitter's jobs in flight. */
public final class TooManyException extends InvalidInputException {

    public TooManyException(String field, String message) {
        super(field, message);
    }
}
