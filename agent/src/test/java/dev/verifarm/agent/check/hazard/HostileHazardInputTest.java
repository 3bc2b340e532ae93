package dev.verifarm.agent.check.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.HostileSafecopy;
import dev.verifarm.agent.testing.SafecopyFixture;
import dev.verifarm.agent.testing.ToolchainTruth.Section;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data and code that merely look like func values and their takers must not crash the scan, make it slow or make
 * its report unbounded: every word of .data and .noptrdata an entry of a wrapper or the address of such a word,
 * every 7 bytes of the text a LEA of a func value word.
 */
class HostileHazardInputTest {

    /** Far above what a scan of this 2 MB binary takes, far below what a quadratic one would. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final CheckEngine ENGINE = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()));

    static Stream<SafecopyFixture> fixtures() {
        return Stream.of(new SafecopyFixture(false, GoArch.AMD64, BuildVariant.DEFAULT, GoToolchain.GO_1_19),
                new SafecopyFixture(false, GoArch.ARM64, BuildVariant.PIE, GoToolchain.GO_1_22));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void dataFullOfEntriesAndPointersToThemIsScannedBoundedly(SafecopyFixture fixture, @TempDir Path dir) {
        HostileSafecopy hostile = HostileSafecopy.of(fixture);
        long entry = fixture.address("main.memcpy");
        int words = 0;
        for (String name : List.of(".noptrdata", ".data")) {
            Section s = hostile.section(name);
            for (long a = (s.address() + 7) & -8; a + 8 <= s.address() + s.size(); a += 8, words++) {
                hostile.putWord(s, a, words % 2 == 0 ? entry : a - 8);
            }
        }

        Report report = scan(hostile.write(dir.resolve("hostile")));

        Hazard memcpy = hazard(report, "main.memcpy");
        assertTrue(memcpy.funcValueWords().size() == HazardScan.MAX_LISTED, "func value words are capped");
        assertTrue(memcpy.references().size() <= HazardScan.MAX_LISTED && memcpy.takenIn().size() <= HazardScan.MAX_LISTED);
        assertTrue(memcpy.unlisted() > words / 4, "the words beyond the listed ones are counted: " + memcpy.unlisted());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void textFullOfReferencesIsScannedBoundedly(SafecopyFixture fixture, @TempDir Path dir) {
        Report clean = fixture.report();
        long word = hazard(clean, "main.memcpy").funcValueWords().get(0).address();
        HostileSafecopy hostile = HostileSafecopy.of(fixture);
        Section text = hostile.section(".text");
        byte[] code = fixture.arch() == GoArch.AMD64 ? leas(text.address(), (int) text.size(), word)
                : adrpAdds(text.address(), (int) text.size(), word);
        hostile.putCode(text, text.address(), code);

        Report report = scan(hostile.write(dir.resolve("hostile")));

        Hazard memcpy = hazard(report, "main.memcpy");
        assertEquals(HazardScan.MAX_LISTED, memcpy.references().size());
        assertTrue(memcpy.unlisted() > 1000, "every function takes it now: " + memcpy.unlisted());
    }

    private static Report scan(Path file) {
        Report report = assertTimeoutPreemptively(BOUND, () -> ENGINE.check(file,
                new CheckRequest(List.of(), false, ExecutionMode.STATIC, true)));
        assertTrue(report.error().isEmpty() && report.hazardsError().isEmpty(),
                () -> report.error().or(report::hazardsError).orElse(""));
        return report;
    }

    private static Hazard hazard(Report report, String function) {
        return report.hazards().orElseThrow().stream().filter(h -> h.function().equals(function)).findFirst()
                .orElseThrow(() -> new AssertionError("no hazard for " + function + " in " + report.hazards()));
    }

    /** {@code lea rax, [rip + d]} every 7 bytes, each reaching word. */
    private static byte[] leas(long address, int length, long word) {
        ByteBuffer code = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 7 <= length; at += 7) {
            code.put(at, (byte) 0x48).put(at + 1, (byte) 0x8d).put(at + 2, (byte) 0x05)
                    .putInt(at + 3, (int) (word - (address + at + 7)));
        }
        return code.array();
    }

    /** {@code adrp x0, page; add x0, x0, #low} every 8 bytes, each reaching word. */
    private static byte[] adrpAdds(long address, int length, long word) {
        ByteBuffer code = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 8 <= length; at += 8) {
            long pages = ((word & ~0xfffL) - ((address + at) & ~0xfffL)) >> 12;
            int adrp = 0x90000000 | (int) (pages & 3) << 29 | (int) (pages >> 2 & 0x7ffff) << 5;
            int add = 0x91000000 | (int) (word & 0xfff) << 10;
            code.putInt(at, adrp).putInt(at + 4, add);
        }
        return code.array();
    }
}
