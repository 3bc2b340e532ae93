package dev.verifarm.contract;

/**
 * A host path names a file on the agents' hosts exactly: absolute, already normal (no {@code .} or {@code ..}
 * segments, no {@code //}, no trailing {@code /}), without NUL or other control characters, at most
 * {@value #MAX_LENGTH} characters. The coordinator refuses any other when a job or suite names it, the command line
 * before it sends one, and an agent again before it opens the file.
 */
public final class HostPaths {
    static final int MAX_LENGTH = 4096;

    private HostPaths() {
    }

    /** {@code path} when it is one; a refusal is of the whole path (an empty {@link ContractException#part()}). */
    public static String require(String path) {
        if (path == null || path.isEmpty()) {
            throw ContractException.whole("a host path is required");
        }
        if (path.length() > MAX_LENGTH) {
            throw ContractException.whole("a host path is at most " + MAX_LENGTH + " characters, got "
                    + path.length());
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ContractException.whole("a host path must not contain NUL or control characters");
        }
        if (!path.startsWith("/")) {
            throw ContractException.whole("a host path must be absolute, got '" + path + "'");
        }
        if (path.length() > 1 && path.endsWith("/") || path.contains("//")) {
            throw ContractException.whole("a host path names a file: no '//' and no trailing '/', got '" + path + "'");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw ContractException.whole("a host path must not contain '.' or '..' segments, got '" + path
                        + "'");
            }
        }
        return path;
    }
}
