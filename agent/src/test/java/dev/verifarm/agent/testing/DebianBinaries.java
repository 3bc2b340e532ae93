package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real, stripped Go binaries as Debian ships them (shfmt, runc, age, ...), for
 * amd64 and arm64, fetched with {@code apt-get download} and unpacked with
 * {@code dpkg-deb -x} into {@code agent/target/debian-bins/}.
 *
 * <p>Foreign architectures need {@code dpkg --add-architecture arm64 && apt-get update}
 * once on the machine. When a package cannot be had this fails loudly: tests
 * that need real binaries must not pass by skipping.
 */
public final class DebianBinaries {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*");
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(5);

    private DebianBinaries() {
    }

    /** The file {@code pathInPackage} (such as {@code usr/bin/shfmt}) of package {@code pkg} for {@code debArch}. */
    public static synchronized Path get(String pkg, String debArch, String pathInPackage) {
        if (!NAME.matcher(pkg).matches() || !NAME.matcher(debArch).matches()) {
            throw new IllegalArgumentException("not a Debian package and architecture: " + pkg + ":" + debArch);
        }
        Path relative = Path.of(pathInPackage).normalize();
        if (relative.isAbsolute() || relative.startsWith("..")) {
            throw new IllegalArgumentException("not a path inside a package: " + pathInPackage);
        }
        Path dir = AgentModule.target().resolve("debian-bins").resolve(pkg + "_" + debArch);
        Path root = dir.resolve("root");
        if (!Files.isDirectory(root)) {
            unpack(download(pkg, debArch, dir), root);
        }
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Debian package " + pkg + ":" + debArch + " has no file " + pathInPackage
                    + " (unpacked in " + root + ")");
        }
        return file;
    }

    private static Path download(String pkg, String debArch, Path dir) {
        try {
            Files.createDirectories(dir);
            Optional<Path> cached = findDeb(pkg, debArch, dir);
            if (cached.isPresent()) {
                return cached.get();
            }
            Path aptGet = ExternalCommand.require("apt-get", "fetching Debian packages needs Debian's apt");
            ExternalCommand.Result r = ExternalCommand.run(List.of(aptGet.toString(), "download", pkg + ":" + debArch),
                    dir, Map.of(), APT_TIMEOUT);
            if (!r.succeeded()) {
                throw new IllegalStateException("cannot download Debian package " + pkg + ":" + debArch + ": "
                        + r.describe() + "\n(for a foreign architecture run once: dpkg --add-architecture "
                        + debArch + " && apt-get update)");
            }
            return findDeb(pkg, debArch, dir).orElseThrow(() -> new IllegalStateException(
                    "apt-get download " + pkg + ":" + debArch + " succeeded but left no .deb in " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + pkg + ":" + debArch + " into " + dir, e);
        }
    }

    private static Optional<Path> findDeb(String pkg, String debArch, Path dir) throws IOException {
        // apt names it pkg_version_arch.deb (the epoch's colon escaped as %3a).
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(pkg + "_") && (n.endsWith("_" + debArch + ".deb") || n.endsWith("_all.deb"));
            }).max(Comparator.naturalOrder());
        }
    }

    private static void unpack(Path deb, Path root) {
        Path dpkgDeb = ExternalCommand.require("dpkg-deb", "unpacking Debian packages needs Debian's dpkg");
        try {
            Path partial = Files.createTempDirectory(root.getParent(), "root.");
            try {
                ExternalCommand.Result r = ExternalCommand.run(
                        List.of(dpkgDeb.toString(), "-x", deb.toString(), partial.toString()), null, Map.of(), APT_TIMEOUT);
                if (!r.succeeded()) {
                    throw new IllegalStateException("cannot unpack " + deb + ": " + r.describe());
                }
                Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + deb + " into " + root, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
