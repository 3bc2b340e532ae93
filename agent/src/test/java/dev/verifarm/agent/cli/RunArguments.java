package dev.verifarm.agent.cli;

import dev.verifarm.agent.farm.RunOptions;
import picocli.CommandLine;

/** The {@link RunOptions} that {@code verifarm-agent run ARGS...} would serve with, without starting the agent. */
public final class RunArguments {

    private RunArguments() {
    }

    /** A refusal is the {@link CommandLine.ParameterException} that {@code run} would report. */
    public static RunOptions parse(String... args) {
        RunAgentCommand run = new RunAgentCommand();
        new CommandLine(run).parseArgs(args);
        return run.options();
    }
}
