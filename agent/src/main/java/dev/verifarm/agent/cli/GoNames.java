package dev.verifarm.agent.cli;

import dev.verifarm.agent.elf.Architecture;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Architectures as the command line names them, Go's way; also the values their options complete to. */
final class GoNames extends ArrayList<String> {
    GoNames() {
        super(List.of("amd64", "arm64"));
    }

    /** The architectures {@code names} name; an unknown one is a usage error of {@code option}. */
    static Set<Architecture> architectures(CommandSpec spec, String option, List<String> names) {
        Set<Architecture> architectures = EnumSet.noneOf(Architecture.class);
        for (String name : names) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            architectures.add(Architecture.ofGoName(n).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    option + ": unknown architecture '" + n + "' (known: amd64, arm64)")));
        }
        return architectures;
    }
}
