package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** ELF files of kinds the agent must refuse, built with the host's C compiler. */
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
}
