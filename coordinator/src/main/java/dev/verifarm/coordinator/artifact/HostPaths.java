package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.problem.InvalidInputException;

/**
 * A host path names a file on the agents' hosts exactly: absolute, already normal (no {@code .} or {@code ..}
 * segments, no {@code //}, no trailing {@code /}), without NUL or other control characters. Agents check the same
 * again before they open it.
 */
public final class HostPaths {
    static final int MAX_LENGTH = 4096;

    private HostPaths() {
    }

    /** A host path names no architecture the coordinator could learn: the one refusal of every face. */
    public static InvalidInputException architectureMissing(String field) {
        return new InvalidInputException(field, "a host path needs its architecture, AMD64 or ARM64: the coordinator"
                + " cannot read the agents' files");
    }

    public static String require(String field, String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException(field, "a host path is required");
        }
        if (path.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "a host path is at most " + MAX_LENGTH + " characters, got "
                    + path.length());
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, "a host path must not contain NUL or control characters");
        }
        if (!path.startsWith("/")) {
            throw new InvalidInputException(field, "a host path must be absolute, got '" + path + "'");
        }
        if (path.length() > 1 && path.endsWith("/") || path.contains("//")) {
            throw new InvalidInputException(field, "a host path names a file: no '//' and no trailing '/', got '"
                    + path + "'");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(field, "a host path must not contain '.' or '..' segments, got '"
                        + path + "'");
            }
        }
        return path;
    }
}
