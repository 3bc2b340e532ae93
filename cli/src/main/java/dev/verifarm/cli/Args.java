package dev.verifarm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line after its subcommand: positional words and {@code --name value} options (also {@code --name=value});
 * flags take no value; {@code -o} is {@code --output}. Every option must be known to the subcommand, so a typo is an error, not a silent default.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Set<String> flags;

    private Args(Set<String> flags) {
        this.flags = flags;
    }

    /** Parses {@code words}; {@code valued} options take a value, {@code flags} do not. */
    public static Args parse(List<String> words, Set<String> valued, Set<String> flags) {
        Args args = new Args(flags);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).equals("-o") ? "--output" : words.get(i);
            if (!word.startsWith("--") || word.equals("--")) {
                args.positional.add(word);
                continue;
            }
            String name = word.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw CliException.error("--" + name + " takes no value");
                }
                args.options.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw CliException.error("--" + name + " needs a value");
                    }
                    value = words.get(++i);
                }
                args.options.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else {
                throw CliException.error("unknown option --" + name);
            }
        }
        return args;
    }

    public List<String> positional() {
        return positional;
    }

    /** The single positional argument called {@code what}. */
    public String only(String what) {
        if (positional.size() != 1) {
            throw CliException.error("expected exactly one " + what + ", got " + (positional.isEmpty()
                    ? "none" : positional.size() + ": " + String.join(" ", positional)));
        }
        return positional.get(0);
    }

    /** Refuses positional arguments, for a command that takes none. */
    public void none(String command) {
        if (!positional.isEmpty()) {
            throw CliException.error(command + " takes no arguments, got " + String.join(" ", positional));
        }
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public Optional<String> value(String name) {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw CliException.error("--" + name + " given " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    public boolean flag(String name) {
        if (!flags.contains(name)) {
            throw new IllegalArgumentException("not a flag: " + name);
        }
        return options.containsKey(name);
    }
}
