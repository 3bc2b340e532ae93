package dev.verifarm.agent.wire;

import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.HazardReference;
import dev.verifarm.agent.check.vocabulary.SuggestedFix;
import dev.verifarm.proto.v1.CheckReport;

/** The hazard scan's findings as the wire carries them, beside the rest of a report ({@link CheckWire}). */
final class HazardWire {

    private HazardWire() {
    }

    static void addTo(CheckReport.Builder wire, Report report) {
        report.hazards().ifPresent(hazards -> {
            wire.setHazardsScanned(true);
            hazards.forEach(h -> wire.addHazards(hazard(h)));
        });
        report.hazardsError().ifPresent(e -> wire.setHazardsScanned(true).setHazardsError(e));
    }

    private static dev.verifarm.proto.v1.Hazard hazard(Hazard h) {
        dev.verifarm.proto.v1.Hazard.Builder wire = dev.verifarm.proto.v1.Hazard.newBuilder()
                .setFunction(h.function())
                .setScope(h.scope().toString())
                .setScopeReason(h.scopeReason())
                .addAllTakenIn(h.takenIn())
                .setBody(CheckWire.location(h.body()))
                .setWrapper(CheckWire.location(h.wrapper()))
                .setUnlisted(h.unlisted());
        h.funcValueWords().forEach(w -> wire.addFuncValueWords(CheckWire.location(w)));
        h.references().forEach(r -> wire.addReferences(reference(r)));
        h.usedAsAddress().ifPresent(wire::setUsedAsAddress);
        h.fix().map(HazardWire::fix).ifPresent(wire::setFix);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.HazardReference reference(HazardReference r) {
        dev.verifarm.proto.v1.HazardReference.Builder wire = dev.verifarm.proto.v1.HazardReference.newBuilder()
                .setKind(r.kind())
                .setAt(CheckWire.location(r.at()))
                .setTaker(r.taker())
                .setRefersTo(r.refersTo());
        r.instruction().map(CheckWire::instruction).ifPresent(wire::setInstruction);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.SuggestedFix fix(SuggestedFix f) {
        return dev.verifarm.proto.v1.SuggestedFix.newBuilder()
                .setStub(f.stub())
                .setGoDeclaration(f.goDeclaration())
                .setAmd64(f.amd64())
                .setArm64(f.arm64())
                .addAllExpectations(f.expectations())
                .build();
    }
}
