package dev.verifarm.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * One check a job asks for: that {@code resolver} yields {@code target} and, for a copy, that the copied range ends by
 * {@code endRule}. Spelled {@code RESOLVER=TARGET} for a resolve and {@code RESOLVER=TARGET[@END]} for a copy; names
 * are taken without surrounding blanks.
 *
 * @param resolver a resolver stub's symbol ({@code main.addrOfMemcpyish}), a spelled resolver
 *                 ({@code funcvalue:main.memcpyish}, {@code symbol:NAME}, {@code data:NAME}) or a name the probe reports
 * @param target   the Go name of the target function ({@code main.memcpyish})
 * @param endRule  present exactly for a copy
 */
public record Expectation(CheckKind kind, String resolver, String target, Optional<EndRule> endRule) {

    public Expectation {
        if (kind == null) {
            throw ContractException.of("kind", "kind is required: RESOLVE or COPY");
        }
        Objects.requireNonNull(endRule, "endRule");
        if (resolver == null || resolver.isBlank()) {
            throw ContractException.of("resolver", "resolver is required, e.g. main.addrOfMemcpyish");
        }
        if (target == null || target.isBlank()) {
            throw ContractException.of("target", "target is required, e.g. main.memcpyish");
        }
        Names.require("resolver", resolver, "the resolver");
        Names.require("target", target, "the target");
        resolver = resolver.strip();
        target = target.strip();
        if (kind == CheckKind.RESOLVE && endRule.isPresent()) {
            throw ContractException.of("endRule", "an end rule applies only to COPY checks");
        }
        if (kind == CheckKind.COPY && endRule.isEmpty()) {
            endRule = Optional.of(EndRule.pclntabEnd());
        }
    }

    public static Expectation resolve(String resolver, String target) {
        return new Expectation(CheckKind.RESOLVE, resolver, target, Optional.empty());
    }

    public static Expectation copy(String resolver, String target, EndRule endRule) {
        return new Expectation(CheckKind.COPY, resolver, target, Optional.of(endRule));
    }

    /** The structured form {@code {kind, resolver, target, endRule}}: a blank or absent end rule is the default. */
    public static Expectation of(CheckKind kind, String resolver, String target, String endRule) {
        Optional<EndRule> rule = endRule == null || endRule.isBlank() ? Optional.empty()
                : Optional.of(EndRule.parse(endRule));
        return new Expectation(kind, resolver, target, rule);
    }

    /**
     * Reads {@code RESOLVER=TARGET}, or for a copy {@code RESOLVER=TARGET[@END]}. Every refusal is of the whole
     * spelling (an empty {@link ContractException#part()}) and says what was wrong in it.
     */
    public static Expectation parse(CheckKind kind, String spelling) {
        Objects.requireNonNull(kind, "kind");
        int equals = spelling == null ? -1 : spelling.indexOf('=');
        if (equals <= 0) {
            throw ContractException.whole(form(kind) + ", got '" + spelling + "'");
        }
        String target = spelling.substring(equals + 1);
        String end = null;
        int at = target.lastIndexOf('@');
        if (kind == CheckKind.COPY && at >= 0) {
            end = target.substring(at + 1);
            target = target.substring(0, at);
        }
        try {
            return of(kind, spelling.substring(0, equals), target, end);
        } catch (ContractException wrong) {
            throw ContractException.whole(wrong.getMessage());
        }
    }

    /** The spelling {@link #parse} reads back to an equal expectation; a copy always names its end rule. */
    public String spelling() {
        return resolver + "=" + target + endRule.map(rule -> "@" + rule.spelling()).orElse("");
    }

    /** The rule a check of this expectation ends its range by: a resolve compares whole symbols. */
    public EndRule end() {
        return endRule.orElseGet(EndRule::symbolSize);
    }

    private static String form(CheckKind kind) {
        return "expected RESOLVER=TARGET" + (kind == CheckKind.COPY ? "[@END]" : "");
    }
}
