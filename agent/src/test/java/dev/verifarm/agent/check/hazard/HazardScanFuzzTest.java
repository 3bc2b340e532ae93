package dev.verifarm.agent.check.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.isa.AddressSet;
import dev.verifarm.agent.isa.ReferenceShapes;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.HostileSafecopy;
import dev.verifarm.agent.testing.SafecopyFixture;
import dev.verifarm.agent.testing.ScratchFiles;
import dev.verifarm.agent.testing.ToolchainTruth.Section;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hazard scan's new parsing paths on hostile bytes. {@link #dataWords}: the safecopy fixture (first input byte:
 * bit 0 arm64, bit 1 PIE) with its .data words overwritten from the input, 9 bytes a word: a kind (0 a raw value, 1
 * the entry of memcpy's wrapper, 2 the address of a .data word, 3 the address of memcpy's func value word; bit 2
 * repeats the word to the section's end) and a value. The scan must finish without error, with its evidence
 * bounded, and still find what the untouched code takes. {@link #referenceShapes}: the linear pre-filter on
 * arbitrary code, with targets from the input; every candidate lies in the code and refers to a target.
 *
 * <p>{@code mvn test} runs the committed inputs in
 * {@code src/test/resources/dev/verifarm/agent/check/hazard/HazardScanFuzzTestInputs/<method>/}. To fuzz for real,
 * one target per run: {@code JAZZER_FUZZ=1 mvn test -Dtest=HazardScanFuzzTest#dataWords}.
 */
class HazardScanFuzzTest {

    private static final CheckEngine ENGINE = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()));
    private static final int WORD_RECORD = 9;
    private static final Path FILE = ScratchFiles.create("verifarm-hazard-fuzz");

    @FuzzTest(maxDuration = "5m")
    void dataWords(byte[] data) {
        if (data.length == 0) {
            return;
        }
        SafecopyFixture fixture = new SafecopyFixture(false, (data[0] & 1) == 0 ? GoArch.AMD64 : GoArch.ARM64,
                (data[0] & 2) == 0 ? BuildVariant.DEFAULT : BuildVariant.PIE, GoToolchain.GO_1_19);
        long entry = fixture.address("main.memcpy");
        long funcValue = hazard(fixture.report(), "main.memcpy").funcValueWords().get(0).address();
        HostileSafecopy hostile = HostileSafecopy.of(fixture);
        Section s = hostile.section(".data");
        ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        long first = (s.address() + 7) & -8;
        long words = (s.address() + s.size() - first) / 8;
        for (long i = 0; i < words && in.remaining() >= WORD_RECORD; ) {
            int kind = in.get();
            long value = in.getLong();
            long word = switch (kind & 3) {
                case 1 -> entry;
                case 2 -> first + 8 * Long.remainderUnsigned(value, words);
                case 3 -> funcValue;
                default -> value;
            };
            do {
                hostile.putWord(s, first + 8 * i++, word);
            } while ((kind & 4) != 0 && i < words);
        }

        Report report = ENGINE.check(hostile.write(FILE), new CheckRequest(List.of(), false, ExecutionMode.STATIC, true));

        assertTrue(report.error().isEmpty() && report.hazardsError().isEmpty(),
                () -> report.error().or(report::hazardsError).orElse(""));
        for (Hazard h : report.hazards().orElseThrow()) {
            assertTrue(h.references().size() <= HazardScan.MAX_LISTED && h.takenIn().size() <= HazardScan.MAX_LISTED
                    && h.funcValueWords().size() <= HazardScan.MAX_LISTED, h.function());
        }
        assertTrue(hazard(report, "main.loadUint32").takenIn().contains("main.init.0"), "init's code is untouched");
    }

    @FuzzTest(maxDuration = "5m")
    void referenceShapes(byte[] data) {
        if (data.length < 9) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long address = in.getLong() & 0x0000_7fff_ffff_f000L;
        Architecture architecture = (data[8] & 1) == 0 ? Architecture.AMD64 : Architecture.ARM64;
        in.get();
        List<Long> targets = new ArrayList<>();
        while (in.remaining() >= 8 && targets.size() < 4) {
            targets.add(address + (in.getInt() & 0xffff) * 8L);
            in.getInt();
        }
        byte[] code = Arrays.copyOfRange(data, 9, data.length);
        AddressSet set = AddressSet.of(targets);

        for (ReferenceShapes.Candidate c : ReferenceShapes.find(architecture, ByteBuffer.wrap(code), address, set)) {
            assertTrue(set.contains(c.target()), "a candidate outside the targets: " + c);
            assertTrue(c.address() >= address && c.address() < address + code.length, "outside the code: " + c);
            assertEquals(0, architecture == Architecture.ARM64 ? c.address() & 3 : 0, "misaligned: " + c);
        }
    }

    private static Hazard hazard(Report report, String function) {
        return report.hazards().orElseThrow().stream().filter(h -> h.function().equals(function)).findFirst()
                .orElseThrow(() -> new AssertionError("no hazard for " + function));
    }
}
