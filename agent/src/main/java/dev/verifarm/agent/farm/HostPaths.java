package dev.verifarm.agent.farm;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The agent does not trust the coordinator with its file system: a lease's host path must be absolute and already
 * normal (no {@code .} or {@code ..} segments, no NUL), so what the agent opens is exactly what the job named.
 */
final class HostPaths {

    private HostPaths() {
    }

    static Path require(String path) throws IOException {
        if (path.isEmpty() || path.indexOf('\0') >= 0 || !path.startsWith("/")) {
            throw new IOException("the host path '" + path.replace('\0', '?') + "' is not an absolute path");
        }
        Path parsed;
        try {
            parsed = Path.of(path);
        } catch (InvalidPathException e) {
            throw new IOException("the host path '" + path + "' is not a path: " + e.getMessage(), e);
        }
        if (!parsed.normalize().toString().equals(path)) {
            throw new IOException("the host path '" + path + "' is not normalised (no '.', '..', '//' or a"
                    + " trailing '/')");
        }
        return parsed;
    }
}
