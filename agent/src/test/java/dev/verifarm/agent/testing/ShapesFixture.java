package dev.verifarm.agent.testing;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.SectionHeader;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
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

    /** Stubs that yield the body main.body.abi0, whatever their frame. */
    public static final List<String> CORRECT_STUBS = List.of("main.addrOfBodyFrame8", "main.addrOfBodyFrame16",
            "main.addrOfBodyFrame16Split", "main.addrOfBodyFrame200", "main.addrOfBodyFrame200NoSplit",
            "main.addrOfBodySpill16");
    /** Stubs that yield main.elsewhere.abi0 instead. */
    public static final List<String> WRONG_STUBS = List.of("main.addrOfWrongFrame16", "main.addrOfWrongFrame200",
            "main.addrOfWrongLocal");
    /** A stub whose result depends on a branch before its return. */
    public static final String BRANCHY_STUB = "main.addrOfBranchy";
    /** Data words set in assembly, by their Go names, and the function each points into. */
    public static final Map<String, String> DATA_WORDS = Map.of("main.bodyAddr", "main.body.abi0",
            "main.bodyAddrNoptr", "main.body.abi0", "main.elsewhereAddr", "main.elsewhere.abi0",
            "main.insideAddr", "main.body.abi0");
    /** A data word in .noptrbss that only the running program fills, with body's func value: the wrapper. */
    public static final String RUN_TIME_WORD = "main.wrapperAddr";
    /** Every resolver above, expected to yield main.body: one engine run per fixture serves every test. */
    public static final List<Expectation> ALL = Stream.of(CORRECT_STUBS, WRONG_STUBS, List.of(BRANCHY_STUB),
                    Stream.concat(DATA_WORDS.keySet().stream().sorted(), Stream.of(RUN_TIME_WORD))
                            .map(w -> "data:" + w).toList())
            .flatMap(List::stream).map(ShapesFixture::resolvesBody).toList();

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(1);
    private static final int E_SHOFF = 40;
    private static final int SHDR_SIZE = 64;
    private static final int SH_ADDR = 16;
    private static final Map<Run, Report> REPORTS = new ConcurrentHashMap<>();

    private record Run(ShapesFixture fixture, ExecutionMode mode) {
    }
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

    /** The expectation that resolver yields the body of main.body. */
    public static Expectation resolvesBody(String resolver) {
        return Expectation.resolve(resolver, "main.body");
    }

    /** The engine's report on {@link #ALL} with discovery, in a mode, computed once per fixture and mode. */
    public Report report(ExecutionMode mode) {
        return REPORTS.computeIfAbsent(new Run(this, mode), r -> new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(binary(), new CheckRequest(ALL, true, mode)));
    }

    /** The result for one expectation of {@link #ALL}. */
    public CheckResult result(ExecutionMode mode, Expectation expectation) {
        return StubsFixture.result(report(mode), expectation);
    }

    /**
     * The binary's bytes with a section's sh_addr moved, as a hostile file would have it.
     *
     * @return the bytes, and the moved section as the original file had it
     */
    public Map.Entry<byte[], SectionHeader> withSectionAddress(String section, long address)
            throws IOException, ElfFormatException {
        SectionHeader moved = ElfFile.open(binary()).section(section).orElseThrow();
        byte[] bytes = Files.readAllBytes(binary());
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong((int) (file.getLong(E_SHOFF) + (long) moved.index() * SHDR_SIZE + SH_ADDR), address);
        return Map.entry(bytes, moved);
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
