package dev.verifarm.coordinator.web;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.verifarm.contract.EndRule;
import dev.verifarm.coordinator.job.ExpectationWire;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.DecodedInstruction;
import dev.verifarm.proto.v1.Evidence;
import dev.verifarm.proto.v1.Location;
import dev.verifarm.proto.v1.NativeObservation;
import dev.verifarm.proto.v1.TargetInfo;
import dev.verifarm.proto.v1.TextComparison;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an attempt's stored report (the JSON of verifarm.v1.CheckReport) says, in the words the job page shows: the
 * artifact, each result with its evidence, what discovery and the hazard scan found, or why the artifact could not be
 * read.
 */
public record ReportEvidence(List<Fact> artifact, Optional<String> error, List<ResultEvidence> results,
                             List<Fact> wrappers, List<Fact> stubs, Optional<String> hazardScan,
                             List<HazardEvidence> hazards) {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    /**
     * A report the coordinator stored itself; one that no longer parses is a broken database, not bad input.
     * {@code file} gives the artifact's bytes for the byte diffs of copies.
     */
    static ReportEvidence parse(String json, ByteDiff.FileBytes file) {
        CheckReport.Builder report = CheckReport.newBuilder();
        try {
            PARSER.merge(json, report);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored report is not a CheckReport: " + e.getMessage(), e);
        }
        return of(report.build(), file);
    }

    static ReportEvidence of(CheckReport report, ByteDiff.FileBytes file) {
        List<Fact> artifact = new ArrayList<>();
        if (report.hasArtifact()) {
            var a = report.getArtifact();
            artifact.add(new Fact("file", a.getPath()));
            artifact.add(new Fact("sha256", a.getSha256()));
            artifact.add(new Fact("size", a.getSize() + " bytes"));
            artifact.add(new Fact("architecture", lower(a.getArchitecture().name())));
            artifact.add(new Fact("layout", (a.getPie() ? "PIE" : "fixed address")
                    + (a.getStripped() ? ", stripped" : ", with .symtab")));
            if (a.hasGoVersion()) {
                artifact.add(new Fact("Go", a.getGoVersion()));
            }
        }
        artifact.add(new Fact("mode", lower(report.getMode().name())));
        List<Fact> wrappers = report.getDiscovery().getWrappersList().stream().map(w -> new Fact(w.getName(),
                "body " + location(w.getBody()) + ", wrapper " + location(w.getWrapper()) + " (from " + w.getSource()
                        + (w.getConfirmedBy().isEmpty() ? "" : ", confirmed by " + w.getConfirmedBy()) + ")"))
                .toList();
        List<Fact> stubs = new ArrayList<>(report.getDiscovery().getStubsList().stream().map(s -> new Fact(s.getName(),
                Hex.of(s.getAddress()) + " yields " + location(s.getYields()))).toList());
        // named data words are resolvers too (data:NAME); the unnamed func values and itab methods are not listed
        report.getDiscovery().getDataWordsList().stream().filter(w -> !w.getName().isEmpty())
                .map(w -> new Fact("data:" + w.getName(), Hex.of(w.getAddress()) + " in " + w.getSection() + " holds "
                        + location(w.getYields())))
                .forEach(stubs::add);
        return new ReportEvidence(artifact, report.hasError() ? Optional.of(report.getError()) : Optional.empty(),
                report.getResultsList().stream().map(r -> result(r, file)).toList(), wrappers, stubs,
                HazardEvidence.summary(report), HazardEvidence.of(report));
    }

    /** A copy's end rule as every face spells it; empty for a resolve or a rule this coordinator does not know. */
    private static String endRule(dev.verifarm.proto.v1.Expectation x) {
        if (x.getKind() != dev.verifarm.proto.v1.CheckKind.COPY) {
            return "";
        }
        try {
            return ExpectationWire.expectation("", x).endRule().map(EndRule::spelling).orElse("");
        } catch (InvalidInputException unknown) {
            return "";
        }
    }

    private static ResultEvidence result(CheckResult r, ByteDiff.FileBytes file) {
        Evidence e = r.getEvidence();
        var x = r.getExpectation();
        List<Fact> resolved = new ArrayList<>();
        if (e.hasResolved()) {
            resolved.add(new Fact("address", Hex.of(e.getResolved().getAddress())));
            resolved.add(new Fact("symbol", symbol(e.getResolved()).orElse("no symbol covers it")));
        }
        Optional<CopyLayout> copy = e.hasText() ? Optional.of(copy(e.getText())) : Optional.empty();
        TextComparison t = e.getText();
        Optional<ByteDiff> bytes = e.hasText() && e.hasTarget() ? ByteDiff.of(file, t.getBegin(),
                t.getEnd() - t.getBegin(), e.getTarget().getBodyAddress(), t.getBodySize(), firstDifference(t))
                : Optional.empty();
        return new ResultEvidence(lower(x.getKind().name()), x.getResolver(), x.getTarget(),
                endRule(x), r.getVerdict().name(),
                r.getReason(), resolved, e.getResolverCodeList().stream().map(ReportEvidence::instruction).toList(),
                e.hasTarget() ? target(e.getTarget()) : List.of(), copy, bytes,
                e.getEscapesList().stream().map(s -> new ResultEvidence.Escape("+" + Hex.of(s.getOffset()),
                        instruction(s.getInstruction()), location(s.getTarget()))).toList(),
                e.hasObservation() ? observation(e.getObservation()) : List.of());
    }

    private static List<Fact> target(TargetInfo t) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("body", t.getBody() + " at " + Hex.of(t.getBodyAddress()) + ", " + t.getBodySize()
                + " bytes"));
        if (t.hasPclntabEnd()) {
            facts.add(new Fact("pclntab end", Hex.of(t.getPclntabEnd())));
        }
        facts.add(new Fact("ABI wrapper", t.hasWrapperAddress() ? t.getName() + " at " + Hex.of(t.getWrapperAddress())
                : "none"));
        return facts;
    }

    private static CopyLayout copy(TextComparison t) {
        return CopyLayout.of(t.getBegin(), t.getEnd(), t.getBodySize(), firstDifference(t), t.getPaddingBytes(),
                t.getPaddingClean());
    }

    private static OptionalLong firstDifference(TextComparison t) {
        return t.hasFirstDifference() ? OptionalLong.of(t.getFirstDifference()) : OptionalLong.empty();
    }

    private static List<Fact> observation(NativeObservation o) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("ran", o.getEmulated() ? "emulated (qemu-user)" : "natively"));
        facts.add(new Fact("load bias", (o.getLoadBias() < 0 ? "-" : "") + Hex.of(Math.abs(o.getLoadBias()))));
        facts.add(new Fact("reported address", Hex.of(o.getReportedAddress())));
        if (o.hasDestination()) {
            facts.add(new Fact("copied to", Hex.of(o.getDestination())));
        }
        if (o.hasLimitation()) {
            facts.add(new Fact("not covered", o.getLimitation()));
        }
        return facts;
    }

    private static ResultEvidence.Instruction instruction(DecodedInstruction i) {
        return new ResultEvidence.Instruction(Hex.of(i.getAddress()), i.getBytes(), i.getText(), i.getWalk());
    }

    static String location(Location l) {
        return Hex.of(l.getAddress()) + symbol(l).map(s -> " <" + s + ">").orElse("");
    }

    private static Optional<String> symbol(Location l) {
        return l.hasSymbol() ? Optional.of(l.getSymbol().getSymbol()
                + (l.getSymbol().getOffset() == 0 ? "" : "+" + Hex.of(l.getSymbol().getOffset()))) : Optional.empty();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
