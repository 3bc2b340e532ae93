package dev.verifarm.agent.cli;

import java.util.Arrays;
import java.util.List;

/**
 * The agent jar's entry point: {@code check} runs the engine on one file, {@code run} serves a farm,
 * {@code self-check} proves this host with the known-answer checks.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv)));
    }

    static int run(List<String> argv) {
        if (argv.isEmpty()) {
            System.err.print(CheckCommand.USAGE);
            return 2;
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "check" -> CheckCommand.run(rest, System.out, System.err);
            case "run" -> dev.verifarm.agent.farm.RunCommand.run(rest, System.err);
            case "self-check" -> SelfCheckCommand.run(rest, System.out, System.err);
            default -> {
                System.err.println("error: unknown command '" + argv.get(0) + "'");
                System.err.print(CheckCommand.USAGE);
                yield 2;
            }
        };
    }
}
