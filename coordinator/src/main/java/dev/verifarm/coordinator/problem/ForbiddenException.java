package dev.verifarm.coordinator.problem;

/** A caller whose token is valid but whose role or ownership does not allow what it asked. */
public final class ForbiddenException extends InvalidInputException {

    public ForbiddenException(String field, String message) {
        super(field, message);
    }
}
