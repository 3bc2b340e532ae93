package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.problem.InvalidInputException;

import java.util.Optional;

/**
 * One check a job asks for.
 *
 * @param endRule for COPY: {@code symbol-size}, {@code pclntab-end} or {@code symbol:NAME}; empty for RESOLVE
 */
public record Expectation(CheckKind kind, String resolver, String target, Optional<String> endRule) {

    /** Validates one expectation; {@code field} locates it in the request, e.g. {@code expectations[2]}. */
    public static Expectation of(String field, CheckKind kind, String resolver, String target, String endRule) {
        if (kind == null) {
            throw new InvalidInputException(field + ".kind", "kind is required: RESOLVE or COPY");
        }
        if (resolver == null || resolver.isBlank()) {
            throw new InvalidInputException(field + ".resolver", "resolver is required, e.g. main.addrOfMemcpyish");
        }
        if (target == null || target.isBlank()) {
            throw new InvalidInputException(field + ".target", "target is required, e.g. main.memcpyish");
        }
        if (kind == CheckKind.RESOLVE) {
            if (endRule != null && !endRule.isBlank()) {
                throw new InvalidInputException(field + ".endRule", "an end rule applies only to COPY checks");
            }
            return new Expectation(kind, resolver.strip(), target.strip(), Optional.empty());
        }
        String rule = endRule == null || endRule.isBlank() ? "pclntab-end" : endRule.strip();
        if (!rule.equals("symbol-size") && !rule.equals("pclntab-end")
                && !(rule.startsWith("symbol:") && rule.length() > "symbol:".length())) {
            throw new InvalidInputException(field + ".endRule",
                    "unknown end rule '" + rule + "': use symbol-size, pclntab-end or symbol:NAME");
        }
        return new Expectation(kind, resolver.strip(), target.strip(), Optional.of(rule));
    }
}
