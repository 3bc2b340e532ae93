package dev.verifarm.coordinator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A {@code qemu-aarch64-static} of the test's own, first on an agent's PATH, that the test breaks (it exits 1, as
 * after a bad upgrade) and fixes (it runs the installed one) while the agent runs. It starts fixed.
 */
public final class BreakableQemu {
    private static final String BROKEN =
            "#!/bin/sh\necho 'qemu-aarch64-static: broken on purpose by the test' >&2\nexit 1\n";
    private static final String FIXED = "#!/bin/sh\nexec /usr/bin/qemu-aarch64-static \"$@\"\n";

    private final Path dir;

    private BreakableQemu(Path dir) {
        this.dir = dir;
    }

    /** A new one in a temporary directory of its own, fixed. */
    public static BreakableQemu create() {
        try {
            Path dir = Files.createTempDirectory("verifarm-qemu-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            BreakableQemu qemu = new BreakableQemu(dir);
            qemu.fix();
            return qemu;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test's emulator directory", e);
        }
    }

    /** The wrapper for {@link Farm#startAgentThrough} that puts this emulator first on the agent's PATH. */
    public List<String> wrapper() {
        return List.of("env", "PATH=" + dir + ":" + System.getenv("PATH"));
    }

    public void breakIt() {
        write(BROKEN);
    }

    public void fix() {
        write(FIXED);
    }

    /** Swapped atomically, so that a probe never runs half a script. */
    private void write(String script) {
        try {
            Path next = dir.resolve("qemu-aarch64-static.next");
            Files.writeString(next, script);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(next, dir.resolve("qemu-aarch64-static"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test's emulator", e);
        }
    }
}
