package dev.verifarm.coordinator.problem;

/** A call without a valid token: none, unknown or revoked. */
public final class UnauthenticatedException extends InvalidInputException {

    public UnauthenticatedException(String message) {
        super("authorization", message);
    }
}
