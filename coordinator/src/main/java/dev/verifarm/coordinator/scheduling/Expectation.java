package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.problem.InvalidInputException;

import java.util.Optional;

/**
 * One check a job asks for.
 *
 * @param endRule for COPY: {@code symbol-size}, {@code pclntab-end} or {@code symbol:NAME}; empty for RESOLVE
 */
public record Expectation(CheckKind kind, String resolver, String target, Optional<String> endRule) {
    static final int MAX_NAME = 1024;

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
        requireShort(field + ".resolver", resolver);
        requireShort(field + ".target", target);
        if (endRule != null) {
            requireShort(field + ".endRule", endRule);
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

    /** Names are stored with each result in columns of {@value #MAX_NAME} characters. */
    private static void requireShort(String field, String text) {
        if (text.length() > MAX_NAME) {
            throw new InvalidInputException(field, "at most " + MAX_NAME + " characters, got " + text.length());
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, "control characters are not allowed");
        }
    }
}
