package dev.verifarm.cli.command;

import dev.verifarm.cli.contract.ExpectationWire;
import dev.verifarm.cli.exit.CliException;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.Words;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Command-line words to wire values, refusing anything else with the list of what is allowed. */
final class Wire {
    private Wire() {
    }

    /** {@code RESOLVER=TARGET}, read as every face reads it. */
    static Expectation resolve(String spec) {
        return expectation("--resolve", CheckKind.RESOLVE, spec);
    }

    /** {@code RESOLVER=TARGET[@END]}, END one of pclntab-end (the default), symbol-size, symbol:NAME. */
    static Expectation copy(String spec) {
        return expectation("--copy", CheckKind.COPY, spec);
    }

    private static Expectation expectation(String option, CheckKind kind, String spec) {
        try {
            return ExpectationWire.wire(dev.verifarm.contract.Expectation.parse(kind, spec));
        } catch (ContractException refused) {
            throw CliException.error(option + " " + spec + ": " + refused.getMessage());
        }
    }

    static ExecutionMode mode(String word) {
        return word("--mode", ExecutionMode.class, word);
    }

    static Architecture architecture(String word) {
        return word("--arch", Architecture.class, word);
    }

    static Job.State state(String word) {
        return word("--state", Job.State.class, word);
    }

    /** An enum value as every face reads one ({@link Words}), refused with the option's name. */
    private static <E extends Enum<E>> E word(String option, Class<E> type, String word) {
        try {
            return Words.parse(type, word);
        } catch (ContractException refused) {
            throw CliException.error(option + ": " + refused.getMessage());
        }
    }

    private static Stream<Job.State> states() {
        return Arrays.stream(Job.State.values())
                .filter(s -> s != Job.State.JOB_STATE_UNSPECIFIED && s != Job.State.UNRECOGNIZED);
    }

    /** The words of --mode, for the usage and shell completion. */
    static final class Modes extends ArrayList<String> {
        Modes() {
            super(List.of("static", "native"));
        }
    }

    /** The words of --arch. */
    static final class Architectures extends ArrayList<String> {
        Architectures() {
            super(List.of("amd64", "arm64"));
        }
    }

    /** The words of --state. */
    static final class States extends ArrayList<String> {
        States() {
            super(states().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    static int positive(String option, String word, int max) {
        try {
            int value = Integer.parseInt(word);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw CliException.error(option + " must be a number from 1 to " + max + ", got '" + word + "'");
    }
}
