package dev.verifarm.cli;

import dev.verifarm.cli.command.AgentsCommand;
import dev.verifarm.cli.command.Command;
import dev.verifarm.cli.command.JobCommands;
import dev.verifarm.cli.command.NightlyCommand;
import dev.verifarm.cli.command.Session;
import dev.verifarm.cli.command.SubmitCommand;
import dev.verifarm.cli.connect.FarmConnection;
import dev.verifarm.cli.connect.Settings;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verifarm COMMAND ...}: the farm from a shell or a CI pipeline. Exit status 0 when every expectation
 * matched (or the command did what it was asked), 1 when a verification failed, 2 for bad usage, an unreachable
 * or refusing coordinator, or a job that could not be verified.
 */
public final class Main {
    private static final Set<String> GLOBAL_OPTIONS = Set.of("coordinator", "tls-ca");

    private final Map<String, Command> commands = new LinkedHashMap<>();

    Main() {
        List<Command> all = new ArrayList<>();
        all.add(new SubmitCommand());
        all.addAll(JobCommands.all());
        all.add(new AgentsCommand());
        all.add(new NightlyCommand());
        all.forEach(c -> commands.put(c.name(), c));
    }

    public static void main(String[] args) {
        int status = new Main().run(List.of(args), System.out, System.err, System.getenv(),
                System.console() != null);
        System.out.flush();
        System.exit(status);
    }

    int run(List<String> given, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        List<String> words = globalOptionsAfterCommand(given);
        if (words.isEmpty() || List.of("help", "--help", "-h").contains(words.get(0))) {
            usage(words.isEmpty() ? err : out);
            return words.isEmpty() ? ExitStatus.ERROR : ExitStatus.OK;
        }
        Command command = commands.get(words.get(0));
        if (command == null) {
            err.println("verifarm: unknown command '" + words.get(0) + "'; commands: "
                    + String.join(", ", commands.keySet()) + " (verifarm help)");
            return ExitStatus.ERROR;
        }
        try {
            Set<String> options = new HashSet<>(command.options());
            options.addAll(GLOBAL_OPTIONS);
            Args args = Args.parse(words.subList(1, words.size()), options, command.flags());
            Settings settings = Settings.resolve(args.value("coordinator"), args.value("tls-ca"), env);
            try (FarmConnection connection = new FarmConnection(settings)) {
                return command.run(args, new Session(connection, out, err, terminal));
            }
        } catch (CliException e) {
            err.println("verifarm " + command.name() + ": " + e.getMessage());
            return e.exitStatus();
        }
    }

    /** {@code verifarm --coordinator H:P jobs} means {@code verifarm jobs --coordinator H:P}. */
    private static List<String> globalOptionsAfterCommand(List<String> words) {
        int i = 0;
        while (i < words.size() && isGlobalOption(words.get(i))) {
            i += words.get(i).contains("=") ? 1 : 2;
        }
        if (i == 0 || i >= words.size()) {
            return words;
        }
        List<String> reordered = new ArrayList<>();
        reordered.add(words.get(i));
        reordered.addAll(words.subList(0, i));
        reordered.addAll(words.subList(i + 1, words.size()));
        return reordered;
    }

    private static boolean isGlobalOption(String word) {
        return GLOBAL_OPTIONS.stream().anyMatch(o -> word.equals("--" + o) || word.startsWith("--" + o + "="));
    }

    private void usage(PrintStream out) {
        out.println("usage: verifarm COMMAND [--coordinator HOST:PORT] [--tls-ca FILE] ...");
        out.println();
        commands.values().forEach(c -> out.println("  " + c.usage().replace("\n", "\n  ")));
        out.println();
        out.println("The coordinator: --coordinator, else $VERIFARM_COORDINATOR, else coordinator= in"
                + " ~/.config/verifarm/cli.properties,");
        out.println("else " + Settings.DEFAULT_COORDINATOR + ". The token: $VERIFARM_TOKEN, else token= in that file"
                + " (sent as 'authorization: Bearer TOKEN').");
        out.println("TLS: --tls-ca FILE, else $VERIFARM_TLS_CA, else tls-ca= in that file; plaintext without one.");
        out.println("Exit status: 0 all matched, 1 a verification failed, 2 bad usage, an unreachable or refusing"
                + " coordinator, or a job that could not be verified.");
    }
}
