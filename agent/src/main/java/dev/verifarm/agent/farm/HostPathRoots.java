package dev.verifarm.agent.farm;

import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.HostPaths;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories under which this agent reads host-path artifacts, as its operator named them
 * ({@code --host-path-root}); none means the agent reads no host paths. The agent does not trust the coordinator
 * with its file system: a lease's host path must follow the contract's rule ({@link HostPaths}: absolute, already
 * normal), its symbolic links are resolved,
 * and the file it names must then be a readable regular file under a root. Every way of failing that gets the one
 * answer {@link #refusal}, so a submitter learns nothing about which files exist or are readable on the host.
 */
final class HostPathRoots {
    private final List<Path> roots;

    private HostPathRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The roots, each resolved to the real directory it names; one that is not a directory is a usage error. */
    static HostPathRoots of(List<Path> named) {
        List<Path> real = new ArrayList<>();
        for (Path root : named) {
            try {
                Path resolved = root.toRealPath();
                if (!Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException("--host-path-root " + root + " is not a directory");
                }
                real.add(resolved);
            } catch (IOException e) {
                throw new IllegalArgumentException("--host-path-root " + root + " cannot be read: " + e.getMessage());
            }
        }
        return new HostPathRoots(real);
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * The real file that {@code path} names, when it is a readable regular file under a root. The returned path has no
     * symbolic links left, so what the checks open is what was checked here.
     */
    Path require(String path) throws HostPathRefusedException {
        Path real;
        try {
            real = Path.of(HostPaths.require(path)).toRealPath();
        } catch (ContractException | InvalidPathException | IOException e) {
            throw new HostPathRefusedException(refusal(path));
        }
        if (roots.stream().noneMatch(real::startsWith) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
                || !opens(real)) {
            throw new HostPathRefusedException(refusal(path));
        }
        return real;
    }

    private static boolean opens(Path file) {
        try (FileChannel ignored = FileChannel.open(file)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The one answer for a host path this agent does not read, whatever the reason. */
    static String refusal(String path) {
        return "the host path '" + path.replace('\0', '?') + "' is not a readable regular file under this agent's"
                + " host-path roots (--host-path-root)";
    }

    /** A host path the agent does not read: not retried, since another attempt would get the same answer. */
    static final class HostPathRefusedException extends Exception {
        HostPathRefusedException(String message) {
            super(message);
        }
    }
}
