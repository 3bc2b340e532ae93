package dev.verifarm.agent.wire;

import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.artifact.ArtifactInfo;
import dev.verifarm.agent.check.vocabulary.CheckKind;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DataWordPointer;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.EscapingReference;
import dev.verifarm.agent.check.vocabulary.Evidence;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.NativeObservation;
import dev.verifarm.agent.check.vocabulary.ResolverStub;
import dev.verifarm.agent.check.vocabulary.TargetInfo;
import dev.verifarm.agent.check.vocabulary.TextComparison;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.symbols.SymbolOffset;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.EndRuleKind;
import dev.verifarm.proto.v1.Lease;

import java.util.Optional;

/** Translates between the engine's records and the verifarm.v1 wire messages; nothing else sees both. */
public final class CheckWire {

    private CheckWire() {
    }

    /** The engine request a lease asks for; a lease the coordinator should never have sent is refused. */
    public static CheckRequest request(Lease lease) {
        return new CheckRequest(lease.getExpectationsList().stream().map(CheckWire::expectation).toList(),
                lease.getDiscover(), mode(lease.getMode()), lease.getHazards());
    }

    public static Architecture architecture(dev.verifarm.proto.v1.Architecture wire) {
        return switch (wire) {
            case AMD64 -> Architecture.AMD64;
            case ARM64 -> Architecture.ARM64;
            case ARCHITECTURE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("architecture is unspecified");
        };
    }

    /** The architecture, or empty when the message left it unset. */
    public static Optional<Architecture> knownArchitecture(dev.verifarm.proto.v1.Architecture wire) {
        return switch (wire) {
            case AMD64, ARM64 -> Optional.of(architecture(wire));
            case ARCHITECTURE_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
    }

    public static dev.verifarm.proto.v1.Architecture architecture(Architecture architecture) {
        return switch (architecture) {
            case AMD64 -> dev.verifarm.proto.v1.Architecture.AMD64;
            case ARM64 -> dev.verifarm.proto.v1.Architecture.ARM64;
        };
    }

    /** A lease's expectation, validated by the contract's rules as the coordinator validated it. */
    public static Expectation expectation(dev.verifarm.proto.v1.Expectation wire) {
        dev.verifarm.contract.CheckKind kind = switch (wire.getKind()) {
            case RESOLVE -> dev.verifarm.contract.CheckKind.RESOLVE;
            case COPY -> dev.verifarm.contract.CheckKind.COPY;
            case CHECK_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
        };
        Optional<dev.verifarm.contract.EndRule> endRule = switch (wire.getEndRule().getKind()) {
            case END_RULE_KIND_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "expectation " + wire.getResolver() + ": unknown end rule");
            default -> Optional.of(new dev.verifarm.contract.EndRule(
                    dev.verifarm.contract.EndRule.Kind.valueOf(wire.getEndRule().getKind().name()),
                    Optional.of(wire.getEndRule().getEndSymbol()).filter(symbol -> !symbol.isEmpty())));
        };
        return Expectation.of(new dev.verifarm.contract.Expectation(kind, wire.getResolver(), wire.getTarget(),
                endRule));
    }

    static ExecutionMode mode(dev.verifarm.proto.v1.ExecutionMode wire) {
        return switch (wire) {
            case STATIC, EXECUTION_MODE_UNSPECIFIED -> ExecutionMode.STATIC;
            case NATIVE -> ExecutionMode.NATIVE;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown execution mode");
        };
    }

    /** The full report, every result with its evidence, as the wire carries it. */
    public static CheckReport report(Report report) {
        CheckReport.Builder wire = CheckReport.newBuilder().setMode(mode(report.mode()));
        report.artifact().map(CheckWire::artifact).ifPresent(wire::setArtifact);
        report.results().forEach(r -> wire.addResults(result(r)));
        report.discovery().map(CheckWire::discovery).ifPresent(wire::setDiscovery);
        report.error().ifPresent(wire::setError);
        HazardWire.addTo(wire, report);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.ExecutionMode mode(ExecutionMode mode) {
        return switch (mode) {
            case STATIC -> dev.verifarm.proto.v1.ExecutionMode.STATIC;
            case NATIVE -> dev.verifarm.proto.v1.ExecutionMode.NATIVE;
        };
    }

    private static dev.verifarm.proto.v1.ArtifactInfo artifact(ArtifactInfo info) {
        dev.verifarm.proto.v1.ArtifactInfo.Builder wire = dev.verifarm.proto.v1.ArtifactInfo.newBuilder()
                .setPath(info.path())
                .setSha256(info.sha256())
                .setSize(info.size())
                .setArchitecture(Architecture.ofGoName(info.architecture()).map(CheckWire::architecture)
                        .orElse(dev.verifarm.proto.v1.Architecture.ARCHITECTURE_UNSPECIFIED))
                .setPie(info.pie())
                .setStripped(info.stripped());
        info.goVersion().ifPresent(wire::setGoVersion);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.CheckResult result(CheckResult result) {
        return dev.verifarm.proto.v1.CheckResult.newBuilder()
                .setExpectation(expectation(result.expectation()))
                .setVerdict(verdict(result.verdict()))
                .setReason(result.reason())
                .setEvidence(evidence(result.evidence()))
                .build();
    }

    public static dev.verifarm.proto.v1.Expectation expectation(Expectation expectation) {
        dev.verifarm.contract.Expectation checked = expectation.contract();
        dev.verifarm.proto.v1.Expectation.Builder wire = dev.verifarm.proto.v1.Expectation.newBuilder()
                .setKind(dev.verifarm.proto.v1.CheckKind.valueOf(checked.kind().name()))
                .setResolver(checked.resolver())
                .setTarget(checked.target());
        checked.endRule().ifPresent(rule -> wire.setEndRule(dev.verifarm.proto.v1.EndRule.newBuilder()
                .setKind(EndRuleKind.valueOf(rule.kind().name())).setEndSymbol(rule.endSymbol().orElse(""))));
        return wire.build();
    }

    private static dev.verifarm.proto.v1.Verdict verdict(Verdict verdict) {
        return switch (verdict) {
            case MATCH -> dev.verifarm.proto.v1.Verdict.MATCH;
            case WRAPPER -> dev.verifarm.proto.v1.Verdict.WRAPPER;
            case MISMATCH -> dev.verifarm.proto.v1.Verdict.MISMATCH;
            case NOT_RELOCATABLE -> dev.verifarm.proto.v1.Verdict.NOT_RELOCATABLE;
            case UNRESOLVED -> dev.verifarm.proto.v1.Verdict.UNRESOLVED;
            case ERROR -> dev.verifarm.proto.v1.Verdict.ERROR;
        };
    }

    private static dev.verifarm.proto.v1.Evidence evidence(Evidence evidence) {
        dev.verifarm.proto.v1.Evidence.Builder wire = dev.verifarm.proto.v1.Evidence.newBuilder();
        evidence.resolverCode().forEach(i -> wire.addResolverCode(instruction(i)));
        evidence.resolved().map(CheckWire::location).ifPresent(wire::setResolved);
        evidence.target().map(CheckWire::target).ifPresent(wire::setTarget);
        evidence.text().map(CheckWire::text).ifPresent(wire::setText);
        evidence.escapes().forEach(e -> wire.addEscapes(escape(e)));
        evidence.observation().map(CheckWire::observation).ifPresent(wire::setObservation);
        return wire.build();
    }

    static dev.verifarm.proto.v1.DecodedInstruction instruction(DecodedInstruction instruction) {
        return dev.verifarm.proto.v1.DecodedInstruction.newBuilder()
                .setAddress(instruction.address())
                .setBytes(instruction.bytes())
                .setText(instruction.text())
                .setWalk(instruction.walk())
                .build();
    }

    static dev.verifarm.proto.v1.Location location(Location location) {
        dev.verifarm.proto.v1.Location.Builder wire = dev.verifarm.proto.v1.Location.newBuilder()
                .setAddress(location.address());
        location.symbol().map(CheckWire::symbol).ifPresent(wire::setSymbol);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.SymbolOffset symbol(SymbolOffset symbol) {
        return dev.verifarm.proto.v1.SymbolOffset.newBuilder()
                .setSymbol(symbol.symbol())
                .setOffset(symbol.offset())
                .build();
    }

    private static dev.verifarm.proto.v1.TargetInfo target(TargetInfo target) {
        dev.verifarm.proto.v1.TargetInfo.Builder wire = dev.verifarm.proto.v1.TargetInfo.newBuilder()
                .setName(target.name())
                .setBody(target.body())
                .setBodyAddress(target.bodyAddress())
                .setBodySize(target.bodySize());
        target.pclntabEnd().ifPresent(wire::setPclntabEnd);
        target.wrapperAddress().ifPresent(wire::setWrapperAddress);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.TextComparison text(TextComparison text) {
        dev.verifarm.proto.v1.TextComparison.Builder wire = dev.verifarm.proto.v1.TextComparison.newBuilder()
                .setBegin(text.begin())
                .setEnd(text.end())
                .setBodySize(text.bodySize())
                .setPaddingBytes(text.paddingBytes())
                .setPaddingClean(text.paddingClean());
        text.firstDifference().ifPresent(wire::setFirstDifference);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.EscapingReference escape(EscapingReference escape) {
        return dev.verifarm.proto.v1.EscapingReference.newBuilder()
                .setOffset(escape.offset())
                .setInstruction(instruction(escape.instruction()))
                .setTarget(location(escape.target()))
                .build();
    }

    private static dev.verifarm.proto.v1.NativeObservation observation(NativeObservation observation) {
        dev.verifarm.proto.v1.NativeObservation.Builder wire = dev.verifarm.proto.v1.NativeObservation.newBuilder()
                .setEmulated(observation.emulated())
                .setLoadBias(observation.loadBias())
                .setReportedAddress(observation.reportedAddress());
        observation.destination().ifPresent(wire::setDestination);
        observation.limitation().ifPresent(wire::setLimitation);
        return wire.build();
    }

    private static dev.verifarm.proto.v1.Discovery discovery(Discovery discovery) {
        dev.verifarm.proto.v1.Discovery.Builder wire = dev.verifarm.proto.v1.Discovery.newBuilder();
        discovery.wrappers().forEach(w -> wire.addWrappers(wrapper(w)));
        discovery.stubs().forEach(s -> wire.addStubs(stub(s)));
        discovery.dataWords().forEach(w -> wire.addDataWords(dataWord(w)));
        return wire.build();
    }

    private static dev.verifarm.proto.v1.DataWordPointer dataWord(DataWordPointer word) {
        return dev.verifarm.proto.v1.DataWordPointer.newBuilder()
                .setAddress(word.address())
                .setSection(word.section())
                .setName(word.name().orElse(""))
                .setYields(location(word.yields()))
                .setSuggestion(word.suggestion().orElse(""))
                .build();
    }

    private static dev.verifarm.proto.v1.WrapperPair wrapper(WrapperPair pair) {
        return dev.verifarm.proto.v1.WrapperPair.newBuilder()
                .setName(pair.name())
                .setBody(location(pair.body()))
                .setWrapper(location(pair.wrapper()))
                .setSource(pair.source())
                .setConfirmedBy(pair.confirmedBy())
                .build();
    }

    private static dev.verifarm.proto.v1.ResolverStub stub(ResolverStub stub) {
        dev.verifarm.proto.v1.ResolverStub.Builder wire = dev.verifarm.proto.v1.ResolverStub.newBuilder()
                .setName(stub.name())
                .setAddress(stub.address())
                .setYields(location(stub.yields()));
        stub.code().forEach(i -> wire.addCode(instruction(i)));
        return wire.build();
    }
}
