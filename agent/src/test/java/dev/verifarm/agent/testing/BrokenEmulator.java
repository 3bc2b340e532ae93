package dev.verifarm.agent.testing;

import dev.verifarm.agent.elf.Architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory to put first on an agent's PATH whose qemu-user for the foreign architecture (arm64 on an amd64 host)
 * is a script: broken, it exits 1 as after a bad package upgrade; fixed, it runs the real one. Swapped atomically,
 * so a probe never runs half a script.
 */
public final class BrokenEmulator {
    private final Path dir;
    private final Architecture foreign;
    private final String name;

    private BrokenEmulator(Path dir, Architecture foreign, String name) {
        this.dir = dir;
        this.foreign = foreign;
        this.name = name;
    }

    /** A broken emulator in a fresh directory. */
    public static BrokenEmulator create() {
        Architecture foreign = Architecture.host().orElseThrow() == Architecture.AMD64
                ? Architecture.ARM64 : Architecture.AMD64;
        String name = foreign == Architecture.ARM64 ? "qemu-aarch64-static" : "qemu-x86_64-static";
        try {
            // probes run as nobody when the tests run as root: the script must be theirs to run
            Path dir = Files.createTempDirectory("verifarm-broken-emulator-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir.toFile().deleteOnExit();
            BrokenEmulator emulator = new BrokenEmulator(dir, foreign, name);
            emulator.breakIt();
            dir.resolve(name).toFile().deleteOnExit();
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test's emulator directory", e);
        }
    }

    public Architecture foreign() {
        return foreign;
    }

    /** PATH for the agent: this directory first, then the test's own PATH. */
    public String path() {
        return dir + ":" + System.getenv("PATH");
    }

    public void breakIt() {
        write("#!/bin/sh\necho \"" + name + ": broken on purpose by the test\" >&2\nexit 1\n");
    }

    public void fix() {
        write("#!/bin/sh\nexec /usr/bin/" + name + " \"$@\"\n");
    }

    private void write(String script) {
        try {
            Path next = dir.resolve(name + ".next");
            Files.writeString(next, script);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(next, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test's emulator script", e);
        }
    }
}
