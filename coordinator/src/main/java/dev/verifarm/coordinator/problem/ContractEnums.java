package dev.verifarm.coordinator.problem;

import dev.verifarm.contract.Words;

import java.util.Optional;

/** Reads an optional enum from its JSON or query spelling as the contract reads every enum value ({@link Words}). */
public final class ContractEnums {

    private ContractEnums() {
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String field, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ContractInput.at(field, () -> Words.parse(type, text)));
    }
}
