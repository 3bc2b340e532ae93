package dev.verifarm.agent.testing;

import java.util.List;
import java.util.Locale;

/**
 * How a fixture is built: the linking and symbol-table layouts a reader of Go
 * binaries has to handle.
 */
public enum BuildVariant {
    /** Static executable, Go's internal linker. */
    DEFAULT(List.of(), false, false, false),
    /** Position-independent executable, still internally linked ({@code .data.rel.ro.gopclntab}). */
    PIE(List.of("-buildmode=pie"), false, true, false),
    /** No {@code .symtab} and no DWARF: only {@code .gopclntab} names functions. */
    STRIPPED(List.of("-ldflags=-s -w"), false, false, true),
    PIE_STRIPPED(List.of("-buildmode=pie", "-ldflags=-s -w"), false, true, true),
    /**
     * A cgo program linked by the system C linker. The fixtures' cgo code sits
     * behind the {@code verifarm_cgo} build tag, which only this variant sets.
     */
    EXTERNAL(List.of("-tags", "verifarm_cgo", "-ldflags=-linkmode=external"), true, false, false);

    private final List<String> goBuildFlags;
    private final boolean cgo;
    private final boolean pie;
    private final boolean stripped;

    BuildVariant(List<String> goBuildFlags, boolean cgo, boolean pie, boolean stripped) {
        this.goBuildFlags = goBuildFlags;
        this.cgo = cgo;
        this.pie = pie;
        this.stripped = stripped;
    }

    /** Flags passed to {@code go build} besides {@code -trimpath} and {@code -o}. */
    public List<String> goBuildFlags() {
        return goBuildFlags;
    }

    /** Whether the build needs {@code CGO_ENABLED=1} and a C compiler for the target. */
    public boolean cgo() {
        return cgo;
    }

    /** Whether the output is ET_DYN, loaded at a random bias. */
    public boolean pie() {
        return pie;
    }

    /** Whether the output has no {@code .symtab}. */
    public boolean stripped() {
        return stripped;
    }

    /** The same build with its symbol table: text addresses are identical, so its nm is this one's truth. */
    public BuildVariant unstripped() {
        return switch (this) {
            case STRIPPED -> DEFAULT;
            case PIE_STRIPPED -> PIE;
            default -> this;
        };
    }

    /** The name used in fixture file names, such as {@code pie-stripped}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
