package dev.verifarm.agent.check.vocabulary;

import java.util.Locale;

/**
 * Whose hazard it is: {@code toolchain} when the assembly function and every function or data symbol that takes
 * its value belong to Go's own packages (the runtime takes a few of its own func values, to call them), else
 * {@code user}. Spelled in lower case in every report.
 */
public enum HazardScope {
    USER, TOOLCHAIN;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
