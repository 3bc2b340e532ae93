package dev.verifarm.agent.testing;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import dev.verifarm.agent.testing.ToolchainTruth.ObjdumpLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code safecopy} program, built plainly (assembly functions whose func values are taken, as gVisor's
 * pkg/safecopy took them before its fix) or {@code fixed} (resolver stubs instead), for one architecture, variant and
 * Go toolchain, with what go tool nm, go tool objdump and readelf say about it. Stripped variants take their truth
 * from the unstripped twin, which the linker lays out identically.
 */
public record SafecopyFixture(boolean fixed, GoArch arch, BuildVariant variant, GoToolchain toolchain) {

    /** The assembly functions of both programs, by Go name. */
    public static final List<String> ASSEMBLY = List.of("main.loadUint32", "main.memclr", "main.memcpy",
            "main.swapUint32", "main.swapUint64");

    // amd64 "LEAQ 0x205e9(IP), AX": the displacement is from the next instruction
    private static final Pattern RIP = Pattern.compile("(-?0x\\p{XDigit}+)\\(IP\\)");
    // arm64 "ADRP 192512(PC), R3": the page offset from the instruction's own page
    private static final Pattern ADRP = Pattern.compile("^ADRP (-?\\d+)\\(PC\\), (R\\d+)$");
    // its partner, "ADD $136, R3, R3" or "MOVD 8(R3), R0"
    private static final Pattern PAGE_OFFSET = Pattern.compile("^(?:ADD \\$(\\d+), (R\\d+), R\\d+|MOVD (\\d*)\\((R\\d+)\\), R\\d+)$");
    private static final Pattern RANGE = Pattern.compile("(?m)^fault range (\\w+) \\[0x(\\p{XDigit}+), ");
    private static final Map<Path, Map<String, NmSymbol>> NM = new ConcurrentHashMap<>();
    private static final Map<SafecopyFixture, Report> REPORTS = new ConcurrentHashMap<>();
    private static final Map<Path, LinkedWords> WORDS = new ConcurrentHashMap<>();

    /**
     * An instruction of a main function that refers to a data word, as objdump shows it.
     *
     * @param symbol  the function objdump lists it under
     * @param target  the word's address
     */
    public record WordReference(String symbol, long address, long target) {
    }

    /** The program before or after the fix on every architecture, variant and toolchain. */
    public static Stream<SafecopyFixture> all(boolean fixed) {
        return Stream.of(GoToolchain.values()).flatMap(t -> Stream.of(GoArch.values())
                .flatMap(a -> Stream.of(BuildVariant.values()).map(v -> new SafecopyFixture(fixed, a, v, t))));
    }

    public Path binary() {
        return build(variant);
    }

    public Path truth() {
        return build(variant.unstripped());
    }

    private Path build(BuildVariant v) {
        return fixed ? GoFixtures.build("safecopy", "fixed", arch, v, toolchain)
                : GoFixtures.build("safecopy", arch, v, toolchain);
    }

    /** The engine's report with the hazard scan, once per fixture. */
    public Report report() {
        return REPORTS.computeIfAbsent(this, f -> new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(f.binary(), new CheckRequest(List.of(), false, ExecutionMode.STATIC, true)));
    }

    /**
     * The fault ranges the program records when it runs (under qemu-user for a foreign architecture): where each
     * begins, by the assembly function's Go name ({@code main.memcpy}). In a PIE these are run-time addresses.
     */
    public Map<String, Long> recordedRanges() {
        List<String> command = new ArrayList<>();
        if (!arch.isHost()) {
            command.add(ExternalCommand.require("qemu-" + arch.unameMachine() + "-static",
                    "install Debian's qemu-user-static").toString());
        }
        command.add(binary().toString());
        ExternalCommand.Result result = ExternalCommand.run(command, null, Map.of(), Duration.ofMinutes(1));
        if (!result.succeeded()) {
            throw new IllegalStateException("running " + this + " failed: " + result.describe());
        }
        Map<String, Long> out = new TreeMap<>();
        // "fault range memcpy [0x483260, 0x4832a0) main.memcpy"
        Matcher m = RANGE.matcher(result.stdout());
        while (m.find()) {
            out.put("main." + m.group(1), Long.parseUnsignedLong(m.group(2), 16));
        }
        return out;
    }

    /** go tool nm's address of the symbol in {@link #truth()}. */
    public long address(String name) {
        return symbol(name).address();
    }

    public NmSymbol symbol(String name) {
        NmSymbol s = NM.computeIfAbsent(truth(), ToolchainTruth::nm).get(name);
        if (s == null) {
            throw new AssertionError("go tool nm lists no " + name + " in " + truth());
        }
        return s;
    }

    /** Every instruction of a main function that refers to a data word, by go tool objdump. */
    public List<WordReference> dataReferences() {
        List<ObjdumpLine> lines = ToolchainTruth.objdump(truth(), "^main\\.");
        LinkedWords words = words();
        List<WordReference> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ObjdumpLine line = lines.get(i);
            Optional<Long> target = target(line, i + 1 < lines.size() ? lines.get(i + 1) : null);
            if (target.isPresent() && words.isData(target.get())) {
                out.add(new WordReference(line.symbol(), line.address(), target.get()));
            }
        }
        return out;
    }

    private static Optional<Long> target(ObjdumpLine line, ObjdumpLine next) {
        Matcher rip = RIP.matcher(line.text());
        if (rip.find()) {
            return Optional.of(line.address() + line.length() + Long.decode(rip.group(1)));
        }
        Matcher adrp = ADRP.matcher(line.text());
        if (adrp.matches() && next != null && next.symbol().equals(line.symbol())) {
            Matcher low = PAGE_OFFSET.matcher(next.text());
            if (low.matches() && adrp.group(2).equals(low.group(2) != null ? low.group(2) : low.group(4))) {
                long offset = low.group(1) != null ? Long.parseLong(low.group(1))
                        : low.group(3).isEmpty() ? 0 : Long.parseLong(low.group(3));
                return Optional.of((line.address() & ~0xfffL) + Long.parseLong(adrp.group(1)) + offset);
            }
        }
        return Optional.empty();
    }

    /** The link-time value of the data word at address. */
    public long word(long address) {
        return words().word(address);
    }

    private LinkedWords words() {
        return WORDS.computeIfAbsent(truth(), LinkedWords::of);
    }

    @Override
    public String toString() {
        return (fixed ? "safecopy fixed " : "safecopy ") + arch.goarch() + " " + variant.id() + " " + toolchain.name().toLowerCase().replace('_', '.');
    }
}
