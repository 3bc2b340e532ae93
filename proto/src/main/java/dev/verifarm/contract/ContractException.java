package dev.verifarm.contract;

import java.util.Optional;

/**
 * A value the contract refuses. {@link #part()} names the part of the value that was wrong, relative to it
 * ({@code resolver}, {@code target}, {@code endRule}), or is empty when the whole spelling was; each face adds the
 * location the value had in its own input (a field path, a command-line option).
 */
public final class ContractException extends IllegalArgumentException {
    private final Optional<String> part;

    ContractException(Optional<String> part, String message) {
        super(message);
        this.part = part;
    }

    static ContractException of(String part, String message) {
        return new ContractException(Optional.of(part), message);
    }

    static ContractException whole(String message) {
        return new ContractException(Optional.empty(), message);
    }

    public Optional<String> part() {
        return part;
    }

    /** {@code location.part}, or {@code location} when the whole value was wrong. */
    public String field(String location) {
        return part.map(p -> location.isEmpty() ? p : location + "." + p).orElse(location);
    }
}
