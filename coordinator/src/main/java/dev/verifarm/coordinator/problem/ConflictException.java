package dev.verifarm.coordinator.problem;

/** A request that clashes with the state of what it names, e.g. editing a suite declared in a configuration file. */
public final class ConflictException extends InvalidInputException {

    public ConflictException(String field, String message) {
        super(field, message);
    }
}
