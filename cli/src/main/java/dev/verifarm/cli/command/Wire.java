package dev.verifarm.cli.command;

import dev.verifarm.cli.CliException;
import dev.verifarm.cli.contract.ExpectationWire;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.Words;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Job;

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
