package dev.verifarm.agent.cli;

import dev.verifarm.agent.farm.RunCommand;

import java.util.Arrays;
import java.util.List;

/** The agent jar's entry point: dispatches to a subcommand. */
public final class Main {
    private static final String USAGE = "usage: verifarm-agent run --coordinator HOST:PORT [options]";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int status = switch (args[0]) {
            case "run" -> RunCommand.run(rest, System.err);
            default -> {
                System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
                yield 2;
            }
        };
        System.exit(status);
    }
}
