package dev.verifarm.coordinator.problem;

/** A request that names something (a job, an artifact) the coordinator does not have. */
public final class NotFoundException extends InvalidInputException {

    public NotFoundException(String field, String message) {
        super(field, message);
    }
}
