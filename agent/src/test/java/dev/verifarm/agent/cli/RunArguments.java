package dev.verifarm.agent.cli;

import dev.verifarm.agent.farm.RunOptions;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@link RunOptions} that {@code verifarm-agent run ARGS...} would serve with, without starting the agent. */
public final class RunArguments {

    private RunArguments() {
    }

    /** A refusal is the {@link CommandLine.ParameterException} that {@code run} would report. */
    public static RunOptions parse(String... args) {
        RunAgentCommand run = new RunAgentCommand();
        new CommandLine(run).parseArgs(args);
        return RunAgentCommand.Reading.options(run);
    }

    /** The names of {@code run}'s options that take a value, as its command line declares them. */
    public static Set<String> optionsTakingValues() {
        return new CommandLine(new RunAgentCommand()).getCommandSpec().options().stream()
                .filter(o -> o.arity().max() > 0).flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toSet());
    }
}
