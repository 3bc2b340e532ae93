package dev.verifarm.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum values as every face writes and reads them: the proto's name ({@code AMD64}, {@code STATIC}, {@code COPY},
 * {@code ERROR}) is written, and read in any letter case with '-' for '_', so {@code amd64} and {@code timed-out}
 * are read too. A word that is none of them is refused with the list of the values.
 */
public final class Words {
    private Words() {
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String word) {
        String name = word == null ? "" : word.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name) && allowed(value)) {
                return value;
            }
        }
        throw ContractException.whole("unknown value '" + word + "'; expected one of " + Arrays
                .stream(type.getEnumConstants()).filter(Words::allowed).map(Enum::name)
                .collect(Collectors.joining(", ")));
    }

    /** The proto's zero values ({@code *_UNSPECIFIED}) and protobuf's {@code UNRECOGNIZED} are never a choice. */
    private static boolean allowed(Enum<?> value) {
        return !value.name().endsWith("_UNSPECIFIED") && !value.name().equals("UNRECOGNIZED");
    }
}
