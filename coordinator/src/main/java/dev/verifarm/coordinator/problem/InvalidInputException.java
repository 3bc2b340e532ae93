package dev.verifarm.coordinator.problem;

/** A request that cannot be carried out as given; {@code field} names the part that is wrong. */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
