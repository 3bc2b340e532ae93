package dev.verifarm.coordinator.api.rest;

import dev.verifarm.contract.Words;
import dev.verifarm.coordinator.problem.ContractInput;

import java.util.Optional;

/** Reads an optional enum from its JSON or query spelling as the contract reads every enum value ({@link Words}). */
public final class RestEnums {

    private RestEnums() {
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String field, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ContractInput.at(field, () -> Words.parse(type, text)));
    }
}
