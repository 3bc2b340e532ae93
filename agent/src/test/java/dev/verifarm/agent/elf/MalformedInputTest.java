package dev.verifarm.agent.elf;

import static dev.verifarm.agent.testing.StubsFixture.COPY_BODY;
import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_STUB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.CFixtures;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files that are not the 64-bit little-endian amd64/arm64 ELF they claim to be end in a report with an
 * error and every expectation ERROR, never an exception and never a MATCH, in both execution modes.
 */
class MalformedInputTest {

    private static final List<Expectation> EXPECTATIONS = List.of(RESOLVE_STUB, COPY_BODY);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void missingFileIsAnErrorReport(ExecutionMode mode) {
        Path missing = dir.resolve("no-such-file");

        assertErrorReport(check(missing, mode), "cannot read");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void fileThatIsNotElfIsAnErrorReport(ExecutionMode mode) {
        Path source = GoFixtures.sourceDir("stubs").resolve("main.go");

        assertErrorReport(check(source, mode), "not an ELF file");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void compiled32BitObjectIsAnErrorReport(ExecutionMode mode) {
        Path object = CFixtures.i386Object();
        assertEquals("ELF32", ToolchainTruth.elfHeader(object).get("Class"));

        assertErrorReport(check(object, mode), "32-bit");
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void executableRelabelledAs32BitIsAnErrorReport(GoArch arch) throws IOException {
        Path patched = patch(arch, "class32", b -> b.put(4, (byte) 1));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "32-bit");
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void bigEndianHeaderIsAnErrorReport(GoArch arch) throws IOException {
        Path patched = patch(arch, "msb", b -> b.put(5, (byte) 2));
        assertTrue(ToolchainTruth.elfHeader(patched).get("Data").contains("big endian"));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "big-endian");
    }

    /** i386, 32-bit ARM, RISC-V, and a number no machine has. */
    @ParameterizedTest
    @ValueSource(ints = {3, 40, 243, 0xffff})
    void unknownMachineIsAnErrorReport(int machine) throws IOException {
        Path patched = patch(GoArch.AMD64, "machine" + machine, b -> b.putShort(18, (short) machine));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "e_machine=" + machine);
        assertErrorReport(check(patched, ExecutionMode.NATIVE), "e_machine=" + machine);
    }

    @Test
    void relocatableObjectTypeIsAnErrorReport() throws IOException {
        Path patched = patch(GoArch.ARM64, "rel", b -> b.putShort(16, (short) 1));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "e_type=1");
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void sectionHeaderTablePastTheEndIsAnErrorReport(GoArch arch) throws IOException {
        Path patched = patch(arch, "shoff", b -> b.putLong(40, b.capacity() - 8L));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "section header table");
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void programHeaderTablePastTheEndIsAnErrorReport(GoArch arch) throws IOException {
        Path patched = patch(arch, "phoff", b -> b.putLong(32, Long.MAX_VALUE - 16));

        assertErrorReport(check(patched, ExecutionMode.STATIC), "program header table");
    }

    /**
     * Cuts at the headers, inside the segments, and one byte before the end of what the headers describe
     * (a file may end in page padding no header covers; cutting that is no damage).
     */
    static Stream<Arguments> truncations() {
        List<Arguments> all = new ArrayList<>();
        for (GoArch arch : GoArch.values()) {
            for (BuildVariant variant : List.of(BuildVariant.DEFAULT, BuildVariant.PIE_STRIPPED)) {
                long described = describedLength(GoFixtures.build("stubs", arch, variant));
                for (long n : new long[] {0, 3, 4, 15, 16, 63, 64, 200, 4096, 65536, described / 2, described - 1}) {
                    all.add(Arguments.of(arch, variant, n));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}, first {2} bytes")
    @MethodSource("truncations")
    void truncatedFileIsAnErrorReport(GoArch arch, BuildVariant variant, long length) throws IOException {
        byte[] whole = Files.readAllBytes(GoFixtures.build("stubs", arch, variant));
        Path truncated = dir.resolve("truncated-" + length);
        Files.write(truncated, Arrays.copyOf(whole, (int) length));

        assertErrorReport(check(truncated, ExecutionMode.STATIC), length < 4 ? "not an ELF file" : length + "");
    }

    /** The report has no artifact and no discovery, names the problem, and every expectation is ERROR with it. */
    private static void assertErrorReport(Report report, String reasonFragment) {
        String error = report.error().orElseThrow(() -> new AssertionError("no error in " + report));
        assertTrue(error.toLowerCase(Locale.ROOT).contains(reasonFragment.toLowerCase(Locale.ROOT)),
                "error '" + error + "' should mention '" + reasonFragment + "'");
        assertAll(
                () -> assertTrue(report.artifact().isEmpty(), "artifact facts of an unreadable file"),
                () -> assertTrue(report.discovery().isEmpty(), "discovery of an unreadable file"),
                () -> assertEquals(EXPECTATIONS.size(), report.results().size()),
                () -> assertTrue(!report.passed()));
        assertAll(report.results().stream().map(r -> () -> {
            assertEquals(Verdict.ERROR, r.verdict());
            assertEquals(error, r.reason());
        }));
    }

    private static Report check(Path file, ExecutionMode mode) {
        return new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(file, new CheckRequest(EXPECTATIONS, true, mode));
    }

    /** A copy of the arch's default stubs fixture with its bytes changed by {@code change}. */
    private Path patch(GoArch arch, String name, Consumer<ByteBuffer> change) throws IOException {
        byte[] bytes = Files.readAllBytes(GoFixtures.build("stubs", arch, BuildVariant.DEFAULT));
        change.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        Path patched = dir.resolve("stubs-" + arch.goarch() + "-" + name);
        Files.write(patched, bytes);
        return patched;
    }

    /** The end of the last section or PT_LOAD segment with file bytes, as readelf reads the headers. */
    private static long describedLength(Path file) {
        long sections = ToolchainTruth.sections(file).stream().filter(s -> !s.type().equals("NOBITS"))
                .mapToLong(s -> s.offset() + s.size()).max().orElse(0);
        long segments = ToolchainTruth.loadSegments(file).stream().mapToLong(s -> s.offset() + s.fileSize())
                .max().orElse(0);
        return Math.max(sections, segments);
    }
}
