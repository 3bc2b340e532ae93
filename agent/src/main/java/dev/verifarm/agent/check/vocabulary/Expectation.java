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

    /**
     * Parses the command-line spelling {@code RESOLVER=TARGET}, and for a copy optionally
     * {@code RESOLVER=TARGET@END_RULE}.
     */
    public static Expectation parse(CheckKind kind, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("expected RESOLVER=TARGET, got '" + text + "'");
        }
        String resolver = text.substring(0, eq);
        String rest = text.substring(eq + 1);
        if (kind == CheckKind.RESOLVE) {
            return resolve(resolver, rest);
        }
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return copy(resolver, rest, EndRule.pclntabEnd());
        }
        return copy(resolver, rest.substring(0, at), EndRule.parse(rest.substring(at + 1)));
    }
}
