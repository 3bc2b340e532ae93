package dev.verifarm.agent.testing;

import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@code shapes} program (agent/src/test/go/shapes: resolver stubs with frames, stack-split prologues and
 * locals, and data words set in assembly) built for one architecture, variant and Go toolchain, with what the
 * toolchain and the running program say about it.
 */
public record ShapesFixture(GoArch arch, BuildVariant variant, GoToolchain toolchain) {

    /** The variants the issue asks for: plain, stripped and PIE. */
    public static final List<BuildVariant> VARIANTS = List.of(BuildVariant.DEFAULT, BuildVariant.PIE,
            BuildVariant.STRIPPED, BuildVariant.PIE_STRIPPED);

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(1);
    private static final Map<Path, Map<String, NmSymbol>> NM = new ConcurrentHashMap<>();
    private static final Map<Path, Map<String, Long>> YIELDS = new ConcurrentHashMap<>();

    /** Every architecture, variant and toolchain. */
    public static Stream<ShapesFixture> all() {
        return Stream.of(GoToolchain.values()).flatMap(t -> Stream.of(GoArch.values())
                .flatMap(a -> VARIANTS.stream().map(v -> new ShapesFixture(a, v, t))));
    }

    public Path binary() {
        return GoFixtures.build("shapes", arch, variant, toolchain);
    }

    /** The binary whose symbol table gives the expected values: itself, or its unstripped twin. */
    public Path truth() {
        return GoFixtures.build("shapes", arch, variant.unstripped(), toolchain);
    }

    /** {@code go tool nm}'s address of the symbol in {@link #truth()}. */
    public long address(String name) {
        NmSymbol symbol = NM.computeIfAbsent(truth(), ToolchainTruth::nm).get(name);
        if (symbol == null) {
            throw new AssertionError("go tool nm lists no " + name + " in " + truth());
        }
        return symbol.address();
    }

    /**
     * What each resolver yielded when the program ran (under qemu-user for a foreign architecture), by its resolver
     * spelling, as link-time addresses: a PIE's load bias, known from the func value it reports (the wrapper
     * {@code main.body}, whose address nm gives), is taken off.
     */
    public Map<String, Long> yields() {
        return YIELDS.computeIfAbsent(binary(), b -> {
            Map<String, Long> runTime = run(b);
            long bias = runTime.get("funcvalue:main.body") - address("main.body");
            Map<String, Long> linkTime = new LinkedHashMap<>();
            runTime.forEach((name, value) -> linkTime.put(name, value - bias));
            return linkTime;
        });
    }

    private Map<String, Long> run(Path binary) {
        List<String> command = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        if (!arch.isHost()) {
            command.add(ExternalCommand.require("qemu-" + arch.unameMachine() + "-static",
                    "install Debian's qemu-user-static").toString());
            // a PIE asks for the guest's dynamic loader, which Debian's cross libc installs here
            env.put("QEMU_LD_PREFIX", "/usr/" + arch.unameMachine() + "-linux-gnu");
        }
        command.add(binary.toString());
        ExternalCommand.Result result = ExternalCommand.run(command, null, env, RUN_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException("running the shapes fixture failed: " + result.describe());
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : result.stdout().strip().split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length != 2 || !fields[1].startsWith("0x")) {
                throw new IllegalStateException("unexpected line from " + binary + ": " + line);
            }
            out.put(fields[0], Long.parseUnsignedLong(fields[1].substring(2), 16));
        }
        return out;
    }

    @Override
    public String toString() {
        return arch.goarch() + " " + variant.id() + " " + toolchain.name().toLowerCase().replace('_', '.');
    }
}
