package dev.verifarm.agent.probe;

import dev.verifarm.agent.elf.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * qemu-user, for running an artifact whose architecture is not the host's.
 *
 * @param binary        {@code qemu-aarch64-static} or {@code qemu-x86_64-static} (or the dynamic variants)
 * @param libraryPrefix where the guest's loader and libc live, for dynamically linked (PIE, cgo) artifacts
 */
record Emulator(Path binary, Optional<Path> libraryPrefix) {

    /** Empty when the host runs the architecture natively; an error when it cannot run it at all. */
    static Optional<Emulator> forArtifact(Architecture target) throws ProbeException {
        Optional<Architecture> host = Architecture.host();
        if (host.isPresent() && host.get() == target) {
            return Optional.empty();
        }
        String qemu = switch (target) {
            case ARM64 -> "qemu-aarch64";
            case AMD64 -> "qemu-x86_64";
        };
        Path prefix = Path.of(switch (target) {
            case ARM64 -> "/usr/aarch64-linux-gnu";
            case AMD64 -> "/usr/x86_64-linux-gnu";
        });
        Optional<Path> binary = Sandbox.onPath(qemu + "-static").or(() -> Sandbox.onPath(qemu));
        if (binary.isEmpty()) {
            throw new ProbeException("cannot run a " + target.goName() + " artifact on this "
                    + host.map(Architecture::goName).orElse(System.getProperty("os.arch"))
                    + " host: install qemu-user-static (" + qemu + "-static) or run it on a " + target.goName() + " agent");
        }
        return Optional.of(new Emulator(binary.get(), Files.isDirectory(prefix) ? Optional.of(prefix) : Optional.empty()));
    }
}
