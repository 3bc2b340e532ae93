package dev.verifarm.agent.check.vocabulary;

import java.util.Objects;

/**
 * One thing a user expects of an artifact: that {@code resolver} yields {@code target}
 * (and, for a copy, that the copied range ends by {@code endRule}).
 *
 * @param resolver a symbol of a resolver stub ({@code main.addrOfMemcpyish}), a spelled resolver
 *                 ({@code funcvalue:main.memcpyish}, {@code symbol:NAME}, {@code data:NAME}; see
 *                 {@code check.resolve.StaticResolver}) or a name the probe reports
 * @param target   the Go name of the target function ({@code main.memcpyish}); its body is
 *                 {@code main.memcpyish.abi0} when the binary has both
 */
public record Expectation(CheckKind kind, String resolver, String target, EndRule endRule) {

    public Expectation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endRule, "endRule");
        if (resolver == null || resolver.isBlank()) {
            throw new IllegalArgumentException("the resolver name is empty");
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("the target name is empty");
        }
    }

    public static Expectation resolve(String resolver, String target) {
        return new Expectation(CheckKind.RESOLVE, resolver, target, EndRule.symbolSize());
    }

    public static Expectation copy(String resolver, String target, EndRule endRule) {
        return new Expectation(CheckKind.COPY, resolver, target, endRule);
    }

    /** The engine's form of a value the contract has read and validated from any face. */
    public static Expectation of(dev.verifarm.contract.Expectation checked) {
        return new Expectation(CheckKind.valueOf(checked.kind().name()), checked.resolver(), checked.target(),
                EndRule.of(checked.end()));
    }

    /** The contract's form, whose {@code spelling()} is how every face prints this expectation. */
    public dev.verifarm.contract.Expectation contract() {
        return new dev.verifarm.contract.Expectation(dev.verifarm.contract.CheckKind.valueOf(kind.name()), resolver,
                target, kind == CheckKind.COPY ? java.util.Optional.of(endRule.contract()) : java.util.Optional.empty());
    }
}
