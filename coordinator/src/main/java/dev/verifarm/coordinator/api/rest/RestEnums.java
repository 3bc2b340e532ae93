package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.problem.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads an enum from its JSON or query spelling, case-insensitively, naming the allowed values when it fails. */
public final class RestEnums {

    private RestEnums() {
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String field, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String wanted = text.strip().toUpperCase(Locale.ROOT);
        return Optional.of(Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new InvalidInputException(field, "unknown value '" + text + "'; expected one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")))));
    }
}
