package dev.verifarm.cli.contract;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.EndRule;
import dev.verifarm.contract.Expectation;
import dev.verifarm.proto.v1.EndRuleKind;

import java.util.Optional;

/** An expectation between the contract's value and its wire message; the enum names are the same on both sides. */
public final class ExpectationWire {
    private ExpectationWire() {
    }

    public static dev.verifarm.proto.v1.Expectation wire(Expectation expectation) {
        dev.verifarm.proto.v1.Expectation.Builder wire = dev.verifarm.proto.v1.Expectation.newBuilder()
                .setKind(dev.verifarm.proto.v1.CheckKind.valueOf(expectation.kind().name()))
                .setResolver(expectation.resolver())
                .setTarget(expectation.target());
        expectation.endRule().ifPresent(rule -> wire.setEndRule(dev.verifarm.proto.v1.EndRule.newBuilder()
                .setKind(EndRuleKind.valueOf(rule.kind().name())).setEndSymbol(rule.endSymbol().orElse(""))));
        return wire.build();
    }

    /** The coordinator's expectation read back; it refuses (a ContractException) what the contract would refuse. */
    public static Expectation read(dev.verifarm.proto.v1.Expectation wire) {
        CheckKind kind = switch (wire.getKind()) {
            case RESOLVE -> CheckKind.RESOLVE;
            case COPY -> CheckKind.COPY;
            case CHECK_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
        };
        Optional<EndRule> endRule = switch (wire.getEndRule().getKind()) {
            case END_RULE_KIND_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
            default -> Optional.of(new EndRule(EndRule.Kind.valueOf(wire.getEndRule().getKind().name()),
                    Optional.of(wire.getEndRule().getEndSymbol()).filter(symbol -> !symbol.isEmpty())));
        };
        return new Expectation(kind, wire.getResolver(), wire.getTarget(), endRule);
    }
}
