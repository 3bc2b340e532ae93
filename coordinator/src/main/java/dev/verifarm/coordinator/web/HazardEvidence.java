package dev.verifarm.coordinator.web;

import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.Hazard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One hazard as the job page shows it: an assembly function whose Go func value the binary takes, where, and for a
 * user hazard the resolver stub to write instead.
 *
 * @param facts the function's body and wrapper, its takers, why it is likely used as an address
 * @param fix   for a user hazard: the stub's declaration and TEXT blocks, and the expectations that prove it
 */
public record HazardEvidence(String function, String scope, List<Fact> facts, List<Fact> fix) {

    /** What the scan says: {@code not asked for}, its error, or how many hazards it found. */
    static Optional<String> summary(CheckReport report) {
        if (!report.getHazardsScanned()) {
            return Optional.empty();
        }
        if (report.hasHazardsError()) {
            return Optional.of("the hazard scan failed: " + report.getHazardsError());
        }
        long user = report.getHazardsList().stream().filter(h -> h.getScope().equals("user")).count();
        return Optional.of(user + " user hazard(s), " + (report.getHazardsCount() - user) + " in Go's own packages");
    }

    /** User hazards first, then the toolchain's. */
    static List<HazardEvidence> of(CheckReport report) {
        return report.getHazardsList().stream()
                .sorted((a, b) -> Boolean.compare(!a.getScope().equals("user"), !b.getScope().equals("user")))
                .map(HazardEvidence::of).toList();
    }

    private static HazardEvidence of(Hazard h) {
        List<Fact> facts = new ArrayList<>(List.of(
                new Fact("body", ReportEvidence.location(h.getBody())),
                new Fact("ABI wrapper (the func value)", ReportEvidence.location(h.getWrapper())),
                new Fact("taken in", String.join(", ", h.getTakenInList())),
                new Fact("scope", h.getScopeReason())));
        if (h.hasUsedAsAddress()) {
            facts.add(new Fact("used as an address", h.getUsedAsAddress()));
        }
        List<Fact> fix = h.hasFix() ? List.of(
                new Fact("Go declaration", h.getFix().getGoDeclaration()),
                new Fact("amd64", h.getFix().getAmd64()),
                new Fact("arm64", h.getFix().getArm64()),
                new Fact("prove it with", String.join("\n", h.getFix().getExpectationsList()))) : List.of();
        return new HazardEvidence(h.getFunction(), h.getScope(), List.copyOf(facts), fix);
    }
}
