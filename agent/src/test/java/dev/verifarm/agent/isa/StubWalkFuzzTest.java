package dev.verifarm.agent.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.select.InstructionSets;
import dev.verifarm.agent.testing.stubgen.Amd64Stubs;
import dev.verifarm.agent.testing.stubgen.Arm64Stubs;
import dev.verifarm.agent.testing.stubgen.Choices;
import dev.verifarm.agent.testing.stubgen.GeneratedStub;
import dev.verifarm.agent.testing.stubgen.Layout;
import dev.verifarm.agent.testing.stubgen.World;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stub walk never claims a value it did not follow. Stubs shaped as the Go assembler writes them (frames,
 * stack-split prologues, locals) are mutated with random instructions; whenever the walk says what a stub yields,
 * an independent interpreter runs the same instructions in several worlds (random registers and stack, either
 * way at each branch) and the stub must return to its caller with exactly that value in every one.
 *
 * <p>{@code mvn test} runs the committed inputs of each target ({@code src/test/resources/.../StubWalkFuzzTestInputs})
 * and a sweep of generated stubs; to fuzz for real, one target per run:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=StubWalkFuzzTest#amd64Walk}.
 */
class StubWalkFuzzTest {

    private static final int WORLDS = 4;
    /** One Capstone handle per architecture for the whole run: opening one per input costs more than the walk. */
    private static final Map<Architecture, Disassembler> DISASSEMBLERS = new EnumMap<>(Architecture.class);
    private static final int SWEEP = 3000;
    private static final LoadedMemory IMAGE = address -> {
        if (!Layout.inImage(address) || !Layout.inImage(address + 7)) {
            throw new ElfFormatException(0, "0x" + Long.toHexString(address) + " is not in the image");
        }
        return Layout.imageWord(address);
    };

    @FuzzTest(maxDuration = "5m")
    void amd64Walk(byte[] data) {
        check(Architecture.AMD64, Amd64Stubs.generate(new Choices(data)), Amd64Stubs::world);
    }

    @FuzzTest(maxDuration = "5m")
    void arm64Walk(byte[] data) {
        check(Architecture.ARM64, Arm64Stubs.generate(new Choices(data)), Arm64Stubs::world);
    }

    /**
     * Thousands of generated stubs on every run, so the property is tested beyond the committed inputs; and a fair
     * share of them must be followed to a value, or the property would hold for a walk that never claims anything.
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSweepOfGeneratedStubsHoldsAndIsNotVacuous(Architecture arch) {
        SplittableRandom random = new SplittableRandom(13);
        int claimed = 0;
        for (int i = 0; i < SWEEP; i++) {
            byte[] data = new byte[64];
            random.nextBytes(data);
            claimed += arch == Architecture.AMD64
                    ? check(arch, Amd64Stubs.generate(new Choices(data)), Amd64Stubs::world)
                    : check(arch, Arm64Stubs.generate(new Choices(data)), Arm64Stubs::world);
        }
        assertTrue(claimed > SWEEP / 10, "the walk followed only " + claimed + " of " + 2 * SWEEP + " stubs");
    }

    /** Checks both conventions; returns how many claimed a value. */
    private static int check(Architecture arch, GeneratedStub stub, LongFunction<World> world) {
        List<Instruction> code = DISASSEMBLERS.computeIfAbsent(arch, Disassembler::forArchitecture)
                .decode(stub.code(), Layout.CODE, 0);
        int claimed = 0;
        for (ResultConvention convention : ResultConvention.values()) {
            AddressEvaluation e = InstructionSets.of(arch).evaluate(code,
                    new StubContext(IMAGE, convention, false, a -> a == Layout.MORESTACK));
            if (e.address().isEmpty()) {
                continue;
            }
            claimed++;
            for (int seed = 1; seed <= WORLDS; seed++) {
                World.Outcome o = stub.run(world.apply(seed), seed % 2 == 0);
                String context = stub + "\n" + code + "\nclaimed 0x" + Long.toHexString(e.address().getAsLong())
                        + " (" + e.how() + "), walk " + e.walk() + ", world " + seed + ": " + o;
                assertTrue(o.returnedToCaller(), "the stub does not return to its caller: " + context);
                long actual = e.how().startsWith("returned in") ? o.resultRegister() : o.resultSlot();
                assertEquals(e.address().getAsLong(), actual, context);
            }
        }
        return claimed;
    }
}
