package dev.verifarm.agent.report;

import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.HazardReference;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.SuggestedFix;

import java.util.List;

/** The hazard scan's findings as a terminal shows them: user hazards first, each with the fix to write. */
final class HazardText {

    private HazardText() {
    }

    /** The hazards, each user one with its stub for {@code architecture} ({@code amd64} or {@code arm64}). */
    static void render(StringBuilder out, List<Hazard> hazards, String architecture) {
        List<Hazard> user = hazards.stream().filter(Hazard::user).toList();
        out.append("\nhazards: ").append(user.size()).append(" user, ").append(hazards.size() - user.size())
                .append(" toolchain (assembly functions whose Go func value is taken: the ABI wrapper, not the body)\n");
        for (Hazard h : user) {
            hazard(out, h, architecture);
        }
        for (Hazard h : hazards) {
            if (!h.user()) {
                out.append("  toolchain ").append(h.function()).append(" taken in ").append(String.join(", ", h.takenIn()))
                        .append('\n');
            }
        }
    }

    private static void hazard(StringBuilder out, Hazard h, String architecture) {
        out.append("\nHAZARD user ").append(h.function()).append('\n')
                .append("  body ").append(h.body()).append(", wrapper ").append(h.wrapper()).append('\n')
                .append("  taken in: ").append(String.join(", ", h.takenIn())).append('\n');
        h.usedAsAddress().ifPresent(u -> out.append("  used as an address: ").append(u).append('\n'));
        out.append("  func value words: ")
                .append(String.join(", ", h.funcValueWords().stream().map(Location::toString).toList())).append('\n');
        for (HazardReference r : h.references()) {
            out.append("    ").append(r.kind()).append(' ').append(r.at());
            r.instruction().ifPresent(i -> out.append(": ").append(i.text()));
            out.append('\n');
        }
        if (h.unlisted() > 0) {
            out.append("    ... and ").append(h.unlisted()).append(" more\n");
        }
        h.fix().ifPresent(f -> fix(out, f, architecture));
    }

    private static void fix(StringBuilder out, SuggestedFix f, String architecture) {
        out.append("  fix: call ").append(f.stub()).append("() instead of taking the value; declare\n");
        indent(out, f.goDeclaration());
        out.append("  and write, in the package's _").append(architecture).append(".s (--format json has both architectures):\n");
        indent(out, architecture.equals("arm64") ? f.arm64() : f.amd64());
        out.append("  then prove it: ").append(String.join("  ", f.expectations())).append(" (--copy where its text is copied)\n");
    }

    private static void indent(StringBuilder out, String block) {
        for (String line : block.split("\n")) {
            out.append("    ").append(line).append('\n');
        }
    }
}
