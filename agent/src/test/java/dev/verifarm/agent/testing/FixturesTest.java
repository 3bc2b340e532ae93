package dev.verifarm.agent.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import dev.verifarm.agent.testing.ToolchainTruth.ObjdumpLine;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Go fixtures build for every architecture and variant, and say what
 * docs/design.md section 1 says they say, according to the Go toolchain itself.
 */
class FixturesTest {
    private static final List<String> PROGRAMS = List.of("stubs", "plain");
    private static final Duration NATIVE_READY = Duration.ofSeconds(30);
    private static final Duration EMULATED_READY = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(20);

    static Stream<Arguments> everyFixture() {
        List<Arguments> all = new ArrayList<>();
        for (String program : PROGRAMS) {
            for (GoArch arch : GoArch.values()) {
                for (BuildVariant variant : BuildVariant.values()) {
                    all.add(Arguments.of(program, arch, variant));
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> stubsWithSymbols() {
        return everyFixture().filter(a -> a.get()[0].equals("stubs") && !((BuildVariant) a.get()[2]).stripped());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyFixture")
    void buildsAnElfOfItsArchitectureAndKind(String program, GoArch arch, BuildVariant variant) {
        Path binary = GoFixtures.build(program, arch, variant);

        Map<String, String> header = ToolchainTruth.elfHeader(binary);
        String machine = arch == GoArch.AMD64 ? "Advanced Micro Devices X86-64" : "AArch64";
        assertEquals(machine, header.get("Machine"));
        assertTrue(header.get("Type").startsWith(variant.pie() ? "DYN" : "EXEC"), header.get("Type"));
        List<NmSymbol> symbols = ToolchainTruth.nmAll(binary);
        assertEquals(variant.stripped(), symbols.isEmpty(), "symbols listed by go tool nm: " + symbols.size());
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("stubsWithSymbols")
    void stubsHaveBodiesWrappersAndStubs(String program, GoArch arch, BuildVariant variant) {
        Map<String, NmSymbol> nm = ToolchainTruth.nm(GoFixtures.build(program, arch, variant));

        assertAll(Stream.of("main.memcpyish.abi0", "main.memcpyish", "main.addrOfMemcpyish.abi0",
                        "main.otherLeaf.abi0", "main.otherLeaf", "main.addrOfWrong.abi0",
                        "main.escaping.abi0", "main.escaping", "main.addrOfEscaping.abi0", "main.helperLeaf.abi0")
                .map(name -> () -> assertTextSymbol(nm, name)));
        // No func value is taken of the stubs or of helperLeaf, so they get no wrapper.
        assertAll(Stream.of("main.addrOfMemcpyish", "main.addrOfWrong", "main.addrOfEscaping", "main.helperLeaf")
                .map(name -> () -> assertFalse(nm.containsKey(name), name + " should have no wrapper")));
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void wrapperCallsTheBodyAndTheStubMaterialisesItsAddress(GoArch arch) {
        Path binary = GoFixtures.build("stubs", arch, BuildVariant.DEFAULT);

        List<String> wrapper = texts(ToolchainTruth.objdumpFunction(binary, "main.memcpyish"));
        assertTrue(wrapper.contains("CALL main.memcpyish.abi0(SB)"), "wrapper: " + wrapper);
        // A wrapper of a function without arguments may tail-call (arm64 B), or
        // call and then restore the register-ABI state (amd64).
        List<String> noArgsWrapper = texts(ToolchainTruth.objdumpFunction(binary, "main.otherLeaf"));
        assertTrue(noArgsWrapper.contains("CALL main.otherLeaf.abi0(SB)")
                || noArgsWrapper.contains("JMP main.otherLeaf.abi0(SB)"), "no-args wrapper: " + noArgsWrapper);

        List<String> stub = texts(ToolchainTruth.objdumpFunction(binary, "main.addrOfMemcpyish.abi0"));
        if (arch == GoArch.AMD64) {
            assertTrue(stub.get(0).matches("LEAQ 0x\\p{XDigit}+\\(IP\\), AX"), "stub: " + stub);
            assertEquals(List.of("MOVQ AX, 0x8(SP)", "RET"), stub.subList(1, 3), "stub: " + stub);
        } else {
            assertTrue(stub.get(0).matches("ADRP -?\\d+\\(PC\\), R0"), "stub: " + stub);
            assertTrue(stub.get(1).matches("ADD \\$\\d+, R0, R0"), "stub: " + stub);
            assertEquals(List.of("MOVD R0, 8(RSP)", "RET"), stub.subList(2, 4), "stub: " + stub);
        }
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void plainHasNoAssemblyOfItsOwn(GoArch arch) {
        List<NmSymbol> symbols = ToolchainTruth.nmAll(GoFixtures.build("plain", arch, BuildVariant.DEFAULT));

        assertTrue(symbols.stream().anyMatch(s -> s.name().equals("main.main")));
        assertTrue(symbols.stream().noneMatch(s -> s.name().startsWith("main.") && s.name().endsWith(".abi0")),
                "main.* ABI0 symbols in plain");
    }

    /** Every variant that runs natively here, checked against the symbols of its unstripped twin. */
    @ParameterizedTest
    @EnumSource(BuildVariant.class)
    void probeOnTheHostReportsBodiesWrappersAndFaithfulCopies(BuildVariant variant) {
        GoArch host = GoArch.host().orElseThrow(() -> new IllegalStateException(
                "the probe test needs an amd64 or arm64 host, not " + System.getProperty("os.arch")));
        Path binary = GoFixtures.build("stubs", host, variant);
        Path truth = GoFixtures.build("stubs", host, variant.unstripped());
        Map<String, NmSymbol> nm = ToolchainTruth.nm(truth);

        try (ProbeProcess probe = ProbeProcess.start(List.of(binary.toString()), Map.of(), NATIVE_READY)) {
            long bias = probe.loadBias(binary);
            if (variant.pie()) {
                assertTrue(bias != 0, "a PIE is loaded away from its link address");
            } else {
                assertEquals(0, bias, "load bias of a non-PIE executable");
            }
            assertResolvesToSymbols(probe, nm, bias);

            // Reaching "ready" means the relocated memcpyish was called and copied correctly.
            assertCopyIsFunctionText(probe, "main.addrOfMemcpyish", nm.get("main.memcpyish.abi0"), host, truth, nm, bias);
            assertCopyIsFunctionText(probe, "funcvalue:main.memcpyish", nm.get("main.memcpyish"), host, truth, nm, bias);
            assertCopyIsFunctionText(probe, "main.addrOfEscaping", nm.get("main.escaping.abi0"), host, truth, nm, bias);
            assertEquals(0, probe.finish(EXIT), "probe exit code; stderr: " + probe.stderr());
        }
    }

    static Stream<GoArch> foreignArchitectures() {
        return Stream.of(GoArch.values()).filter(a -> !a.isHost());
    }

    @ParameterizedTest
    @MethodSource("foreignArchitectures")
    void probeOfTheOtherArchitectureRunsUnderQemuUser(GoArch arch) {
        Path qemu = ExternalCommand.require("qemu-" + arch.unameMachine() + "-static",
                "install Debian's qemu-user-static");
        Path binary = GoFixtures.build("stubs", arch, BuildVariant.DEFAULT);
        Map<String, NmSymbol> nm = ToolchainTruth.nm(binary);

        try (ProbeProcess probe = ProbeProcess.start(List.of(qemu.toString(), binary.toString()), Map.of(),
                EMULATED_READY)) {
            assertResolvesToSymbols(probe, nm, 0);
            for (ProbeProcess.Copy copy : probe.copies()) {
                assertEquals(probe.resolved().get(copy.name()), copy.source(), copy.toString());
            }
            assertEquals(3, probe.copies().size(), "copies: " + probe.copies());
            assertEquals(0, probe.finish(EXIT), "probe exit code; stderr: " + probe.stderr());
        }
    }

    private static void assertResolvesToSymbols(ProbeProcess probe, Map<String, NmSymbol> nm, long bias) {
        assertEquals(ProbeProcess.PROTOCOL_LINE, probe.lines().get(0));
        Map<String, Long> resolved = probe.resolved();
        assertAll(
                () -> assertEquals(address(nm, "main.memcpyish.abi0"), resolved.get("main.addrOfMemcpyish") - bias,
                        "the stub yields the body"),
                () -> assertEquals(address(nm, "main.memcpyish"), resolved.get("funcvalue:main.memcpyish") - bias,
                        "a func value yields the wrapper"),
                () -> assertEquals(address(nm, "main.otherLeaf.abi0"), resolved.get("main.addrOfWrong") - bias,
                        "the wrong stub yields otherLeaf"),
                () -> assertEquals(address(nm, "main.escaping.abi0"), resolved.get("main.addrOfEscaping") - bias,
                        "addrOfEscaping yields escaping's body"));
    }

    /**
     * The copy starts at the function, runs to the next function (the pclntab
     * end that FindEndAddress finds), holds the function's text as objdump
     * shows it, and only alignment padding after that.
     */
    private static void assertCopyIsFunctionText(ProbeProcess probe, String name, NmSymbol function, GoArch arch,
                                                 Path truth, Map<String, NmSymbol> nm, long bias) {
        ProbeProcess.Copy copy = probe.copies().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no copy line for " + name + " in " + probe.lines()));
        assertNotNull(function, name);
        assertEquals(function.address(), copy.source() - bias, name + " copy source");
        NmSymbol next = ToolchainTruth.nmAll(truth).stream()
                .filter(s -> Character.toUpperCase(s.type()) == 'T' && s.address() > function.address())
                .findFirst().orElseThrow();
        assertEquals(next.address() - function.address(), copy.length(), name + " copy length (next is " + next.name() + ")");

        byte[] text = bytesOf(ToolchainTruth.objdumpFunction(truth, function.name()));
        byte[] copied = probe.readMemory(copy.destination(), copy.length());
        assertArrayEquals(text, Arrays.copyOf(copied, text.length), name + " copied text");
        byte padding = arch == GoArch.AMD64 ? (byte) 0xCC : 0;
        for (int i = text.length; i < copied.length; i++) {
            assertEquals(padding, copied[i], name + " padding byte at +" + i);
        }
    }

    private static void assertTextSymbol(Map<String, NmSymbol> nm, String name) {
        NmSymbol s = nm.get(name);
        assertNotNull(s, name + " missing");
        assertEquals('T', Character.toUpperCase(s.type()), name + " type");
        assertTrue(s.size() > 0, name + " size");
    }

    private static long address(Map<String, NmSymbol> nm, String name) {
        NmSymbol s = nm.get(name);
        assertNotNull(s, name + " missing from nm");
        return s.address();
    }

    private static List<String> texts(List<ObjdumpLine> lines) {
        return lines.stream().map(ObjdumpLine::text).toList();
    }

    private static byte[] bytesOf(List<ObjdumpLine> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.forEach(l -> out.writeBytes(l.bytes()));
        return out.toByteArray();
    }
}
