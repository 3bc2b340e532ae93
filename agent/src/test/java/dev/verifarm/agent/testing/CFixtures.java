package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * C programs built with the host's C compiler (and the aarch64 cross compiler): ELF files of kinds the agent must
 * refuse, and {@code src/test/c/probed.c}, which speaks the probe protocol through {@code probe/c/verifarm_probe.h}.
 */
public final class CFixtures {
    private static final String SOURCE = "int verifarm_fixture(void) { return 42; }\n";
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private CFixtures() {
    }

    /**
     * A 32-bit x86 (ELFCLASS32, EM_386) object file, {@code gcc -m32 -c}: compiling needs no 32-bit C
     * library, which Debian's plain gcc lacks for linking.
     */
    public static synchronized Path i386Object() {
        Path dir = AgentModule.target().resolve("fixtures");
        Path output = dir.resolve("c-i386.o");
        if (Files.isRegularFile(output)) {
            return output;
        }
        Path gcc = ExternalCommand.require("gcc", "install Debian's gcc");
        try {
            Files.createDirectories(dir);
            Path source = dir.resolve("c-i386.c");
            Files.writeString(source, SOURCE);
            ExternalCommand.Result r = ExternalCommand.run(
                    List.of(gcc.toString(), "-m32", "-c", "-o", output.toString(), source.toString()), null, Map.of(),
                    TIMEOUT);
            if (!r.succeeded()) {
                throw new IllegalStateException("cannot compile a 32-bit object: " + r.describe());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
    }

    /**
     * {@code src/test/c/probed.c} for {@code arch}: a PIE from the host's gcc on amd64, a static executable from
     * aarch64-linux-gnu-gcc on arm64 (qemu-user runs it without an arm64 C library), rebuilt when a source is newer.
     */
    public static synchronized Path probed(GoArch arch) {
        Path source = AgentModule.dir().resolve("src/test/c/probed.c");
        Path header = AgentModule.dir().getParent().resolve("probe/c/verifarm_probe.h");
        Path output = AgentModule.target().resolve("fixtures").resolve("probed-" + arch.goarch());
        try {
            if (Files.isRegularFile(output) && Files.getLastModifiedTime(output).compareTo(
                    Files.getLastModifiedTime(source)) > 0 && Files.getLastModifiedTime(output).compareTo(
                    Files.getLastModifiedTime(header)) > 0) {
                return output;
            }
            Files.createDirectories(output.getParent());
            List<String> command = arch.isHost()
                    ? List.of(ExternalCommand.require("gcc", "install Debian's gcc").toString())
                    : List.of(ExternalCommand.require(arch.unameMachine() + "-linux-gnu-gcc",
                    "install Debian's gcc-" + arch.unameMachine() + "-linux-gnu").toString(), "-static");
            List<String> full = new java.util.ArrayList<>(command);
            full.addAll(List.of("-O2", "-Wall", "-Wextra", "-Werror", "-I", header.getParent().toString(),
                    "-o", output.toString(), source.toString()));
            ExternalCommand.Result r = ExternalCommand.run(full, null, Map.of(), TIMEOUT);
            if (!r.succeeded()) {
                throw new IllegalStateException("cannot compile " + source + " for " + arch.goarch() + ": " + r.describe());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + output, e);
        }
    }
}
