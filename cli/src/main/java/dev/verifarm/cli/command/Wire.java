package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.EndRule;
import dev.verifarm.proto.v1.EndRuleKind;
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

    /** {@code RESOLVER=TARGET}. */
    static Expectation resolve(String spec) {
        String[] parts = pair("--resolve", spec, "RESOLVER=TARGET");
        return Expectation.newBuilder().setKind(CheckKind.RESOLVE).setResolver(parts[0]).setTarget(parts[1]).build();
    }

    /** {@code RESOLVER=TARGET[@END]}, END one of pclntab-end (the default), symbol-size, symbol:NAME. */
    static Expectation copy(String spec) {
        int at = spec.lastIndexOf('@');
        String end = at < 0 ? "pclntab-end" : spec.substring(at + 1);
        String[] parts = pair("--copy", at < 0 ? spec : spec.substring(0, at), "RESOLVER=TARGET[@END]");
        EndRule rule;
        if (end.equals("pclntab-end")) {
            rule = EndRule.newBuilder().setKind(EndRuleKind.PCLNTAB_END).build();
        } else if (end.equals("symbol-size")) {
            rule = EndRule.newBuilder().setKind(EndRuleKind.SYMBOL_SIZE).build();
        } else if (end.startsWith("symbol:") && end.length() > "symbol:".length()) {
            rule = EndRule.newBuilder().setKind(EndRuleKind.END_SYMBOL).setEndSymbol(end.substring(7)).build();
        } else {
            throw CliException.error("--copy " + spec + ": the end must be pclntab-end, symbol-size or symbol:NAME,"
                    + " got '" + end + "'");
        }
        return Expectation.newBuilder().setKind(CheckKind.COPY).setResolver(parts[0]).setTarget(parts[1])
                .setEndRule(rule).build();
    }

    private static String[] pair(String option, String spec, String form) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw CliException.error(option + " " + spec + ": expected " + form);
        }
        return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
    }

    static ExecutionMode mode(String word) {
        return switch (word) {
            case "static" -> ExecutionMode.STATIC;
            case "native" -> ExecutionMode.NATIVE;
            default -> throw CliException.error("--mode must be static or native, got '" + word + "'");
        };
    }

    static Architecture architecture(String word) {
        return switch (word) {
            case "amd64" -> Architecture.AMD64;
            case "arm64" -> Architecture.ARM64;
            default -> throw CliException.error("--arch must be amd64 or arm64, got '" + word + "'");
        };
    }

    static Job.State state(String word) {
        String upper = word.toUpperCase(Locale.ROOT).replace('-', '_');
        return states().filter(s -> s.name().equals(upper)).findFirst()
                .orElseThrow(() -> CliException.error("--state must be one of " + String.join(", ", new States())
                        + "; got '" + word + "'"));
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
