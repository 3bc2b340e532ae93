package dev.verifarm.coordinator.job;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.EndRule;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.problem.ContractInput;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.proto.v1.EndRuleKind;

import java.util.Optional;

/** An expectation between its wire message and the contract's value; the enum names are the same on both sides. */
public final class ExpectationWire {
    private ExpectationWire() {
    }

    /** Every refusal names its field as REST does, e.g. {@code expectations[0].endRule}. */
    public static Expectation expectation(String field, dev.verifarm.proto.v1.Expectation wire) {
        CheckKind kind = switch (wire.getKind()) {
            case RESOLVE -> CheckKind.RESOLVE;
            case COPY -> CheckKind.COPY;
            case CHECK_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
        };
        Optional<EndRule> endRule = switch (wire.getEndRule().getKind()) {
            case END_RULE_KIND_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw new InvalidInputException(field + ".endRule", "unknown end rule kind "
                    + wire.getEndRule().getKindValue() + ": use SYMBOL_SIZE, PCLNTAB_END or END_SYMBOL");
            default -> Optional.of(ContractInput.at(field, () -> new EndRule(
                    EndRule.Kind.valueOf(wire.getEndRule().getKind().name()),
                    Optional.of(wire.getEndRule().getEndSymbol()).filter(symbol -> !symbol.isEmpty()))));
        };
        return ContractInput.at(field, () -> new Expectation(kind, wire.getResolver(), wire.getTarget(), endRule));
    }

    public static dev.verifarm.proto.v1.Expectation expectation(Expectation expectation) {
        dev.verifarm.proto.v1.Expectation.Builder wire = dev.verifarm.proto.v1.Expectation.newBuilder()
                .setKind(dev.verifarm.proto.v1.CheckKind.valueOf(expectation.kind().name()))
                .setResolver(expectation.resolver())
                .setTarget(expectation.target());
        expectation.endRule().ifPresent(rule -> wire.setEndRule(dev.verifarm.proto.v1.EndRule.newBuilder()
                .setKind(EndRuleKind.valueOf(rule.kind().name())).setEndSymbol(rule.endSymbol().orElse(""))));
        return wire.build();
    }
}
