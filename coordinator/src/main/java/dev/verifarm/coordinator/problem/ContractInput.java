package dev.verifarm.coordinator.problem;

import dev.verifarm.contract.ContractException;

import java.util.function.Supplier;

/** Builds a contract value from a request, turning its refusal into one that names where in the request it was. */
public final class ContractInput {
    private ContractInput() {
    }

    /** {@code field} locates the value in the request, e.g. {@code expectations[2]} or {@code entries[0].mode}. */
    public static <T> T at(String field, Supplier<T> build) {
        try {
            return build.get();
        } catch (ContractException refused) {
            throw new InvalidInputException(refused.field(field), refused.getMessage());
        }
    }
}
