package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.Outcome;
import dev.verifarm.coordinator.store.NightlyCellEntity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.verifarm.coordinator.nightly.report.HazardChanges.HAZARD;
import static dev.verifarm.coordinator.nightly.report.HazardChanges.SUMMARY;

/**
 * The hazard scan's rows of a cell: {@code hazards} (MATCH when the scan ran, ERROR when it could not) and one
 * {@code hazard F} (WRAPPER: its func value is the wrapper) per user hazard F, named so that {@link
 * dev.verifarm.coordinator.nightly.report.HazardChanges} sees a hazard appear or go between runs.
 */
final class HazardRows {

    private HazardRows() {
    }

    static List<MatrixRow> rows(SuiteEntry entry, NightlyCellEntity cell, Optional<MatrixBuilder.Judged> unjudged,
                                Optional<JsonNode> report, Optional<String> sha) {
        if (unjudged.isPresent()) {
            return List.of(MatrixBuilder.row(entry, cell, SUMMARY, unjudged.get(), sha));
        }
        JsonNode json = report.orElseThrow();
        if (json.hasNonNull("hazardsError")) {
            return List.of(MatrixBuilder.row(entry, cell, SUMMARY, new MatrixBuilder.Judged(Outcome.ERROR,
                    "the hazard scan failed: " + json.get("hazardsError").asText()), sha));
        }
        List<MatrixRow> hazards = new ArrayList<>();
        for (JsonNode h : json.path("hazards")) {
            if (h.path("scope").asText().equals("user")) {
                String function = h.path("function").asText();
                List<String> takers = new ArrayList<>();
                h.path("takenIn").forEach(t -> takers.add(t.asText()));
                hazards.add(MatrixBuilder.row(entry, cell, HAZARD + function, new MatrixBuilder.Judged(Outcome.WRAPPER,
                        "its Go func value, the ABI wrapper, is taken in " + String.join(", ", takers)
                                + "; fix: " + h.at("/fix/stub").asText() + "()"), sha));
            }
        }
        List<MatrixRow> out = new ArrayList<>();
        // the summary says the scan ran; each hazard fails on its own row, so a new one is one regression
        out.add(MatrixBuilder.row(entry, cell, SUMMARY, new MatrixBuilder.Judged(Outcome.MATCH, hazards.isEmpty()
                ? "scanned: no user hazard" : "scanned: " + hazards.size() + " user hazard(s): " + String.join(", ",
                hazards.stream().map(r -> r.expectation().substring(HAZARD.length())).toList())), sha));
        out.addAll(hazards);
        return out;
    }
}
