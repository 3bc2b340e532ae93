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

    /**
     * Reads the spelled form {@code RESOLVER=TARGET} (RESOLVE) or {@code RESOLVER=TARGET[@END]} (COPY) that suites and
     * jobs alike accept as {@code {"resolve": ...}} or {@code {"copy": ...}}; {@code field} names that whole spelling,
     * e.g. {@code expectations[0].copy}, and every refusal names it, with the part that was wrong.
     */
    public static Expectation spelled(String field, CheckKind kind, String spelling) {
        int equals = spelling == null ? -1 : spelling.indexOf('=');
        if (equals <= 0) {
            throw new InvalidInputException(field, "expected RESOLVER=TARGET" + (kind == CheckKind.COPY ? "[@END]" : "")
                    + ", got '" + spelling + "'");
        }
        String target = spelling.substring(equals + 1);
        String end = null;
        int at = target.lastIndexOf('@');
        if (kind == CheckKind.COPY && at >= 0) {
            end = target.substring(at + 1);
            target = target.substring(0, at);
        }
        try {
            return of(field, kind, spelling.substring(0, equals), target, end);
        } catch (InvalidInputException wrong) {
            throw new InvalidInputException(field, wrong.getMessage());
        }
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
