package dev.verifarm.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The C resolver stub of {@code agent/src/test/c/addrof.c}, compiled by gcc in each address-materialising
 * form the engine must decode: GOT-indirect (PIC, linked with --no-relax so the linker keeps the GOT load),
 * absolute MOV imm32, MOVABS imm64, and an arm64 literal-pool LDR.
 */
public enum CStubForm {
    AMD64_GOT("gcc", true, "-fPIC", "-pie", "-Wl,--no-relax"),
    AMD64_ABSOLUTE("gcc", false, "-fno-pic", "-no-pie"),
    AMD64_MOVABS("gcc", false, "-fno-pic", "-no-pie", "-mcmodel=large"),
    ARM64_GOT("aarch64-linux-gnu-gcc", true, "-fPIC", "-pie", "-Wl,--no-relax"),
    ARM64_LITERAL("aarch64-linux-gnu-gcc", false, "-fno-pic", "-no-pie", "-mcmodel=large");

    private final String compiler;
    private final boolean throughGot;
    private final List<String> flags;

    CStubForm(String compiler, boolean throughGot, String... flags) {
        this.compiler = compiler;
        this.throughGot = throughGot;
        this.flags = List.of(flags);
    }

    /** Whether the stub loads the address from a GOT slot filled by a dynamic relocation. */
    public boolean throughGot() {
        return throughGot;
    }

    /** Builds the form once into agent/target/fixtures/c-FORM and returns its path. */
    public synchronized Path build() {
        Path out = AgentModule.target().resolve("fixtures").resolve("c-" + name().toLowerCase());
        if (Files.isRegularFile(out)) {
            return out;
        }
        List<String> command = new ArrayList<>(List.of(compiler, "-O2"));
        command.addAll(flags);
        command.addAll(List.of("-o", out.toString(), AgentModule.dir().resolve("src/test/c/addrof.c").toString()));
        try {
            Files.createDirectories(out.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + out.getParent(), e);
        }
        ExternalCommand.Result result = ExternalCommand.run(command, null, Map.of(), Duration.ofMinutes(2));
        if (!result.succeeded()) {
            throw new IllegalStateException("building the C stub failed (install gcc and gcc-aarch64-linux-gnu "
                    + "with deploy/install-test-deps.sh): " + result.describe());
        }
        return out;
    }
}
