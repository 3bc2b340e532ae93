package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.vocabulary.HazardScope;
import dev.verifarm.agent.gosym.GoPackages;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides whose hazard it is. The Go runtime takes a few of its own assembly functions' values, to call them; a
 * hazard is the toolchain's only when the function and every taker that has a package are Go's own. A taker with no
 * package (a data word of a stripped binary, named by section+offset) cannot be placed and does not vote.
 */
final class Scoping {

    private final GoPackages packages;

    Scoping(GoPackages packages) {
        this.packages = packages;
    }

    /** The scope and the reason, written out. */
    record Decision(HazardScope scope, String reason) {
    }

    Decision decide(String function, Collection<String> takers) {
        Optional<String> own = GoPackages.packageOf(function);
        if (own.isEmpty() || !packages.isStandard(own.get())) {
            return new Decision(HazardScope.USER, function + " is in " + own.map(p -> "package " + p)
                    .orElse("no Go package") + ", not Go's own");
        }
        List<String> unplaced = new ArrayList<>();
        for (String taker : takers) {
            Optional<String> pkg = GoPackages.packageOf(taker);
            if (pkg.isEmpty()) {
                unplaced.add(taker);
            } else if (!packages.isStandard(pkg.get())) {
                return new Decision(HazardScope.USER, function + " is Go's own, but " + taker + " in package "
                        + pkg.get() + " takes its value");
            }
        }
        return new Decision(HazardScope.TOOLCHAIN, function + " and every taker with a package are in Go's own packages"
                + (unplaced.isEmpty() ? "" : " (" + unplaced.size() + " unnamed data words cannot be placed)"));
    }
}
